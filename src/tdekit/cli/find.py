"""``tde find`` (topics ranked across signals) and ``tde find requests`` (tally a request log)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

import typer

from tdekit.cli import ProjectOption, check_format, project_root

#: This module's commands; :mod:`tdekit.cli.app` adds them to ``tde``.
app = typer.Typer(rich_markup_mode=None)

find_app = typer.Typer(rich_markup_mode=None)

FIND_HELP = """Step 1 (Find): the topics residents ask about most, ranked across every signal.

Each topic's rows from each source, the share of all rows it holds, how many sources name it,
and whether one of tde.yaml's find.strategic_priorities speaks of it (its name or a keyword):
a topic several sources support that is also a priority is the guide's area of overlap.
Beside each topic, the partners named in use cases and plan roles that speak of it.
Counts under 5 are shown as "fewer than 5" in every format. Record the choice in tde.yaml:
focus_area, focus_rationale and focus_signals.
"""

REQUESTS_HELP = """Tally a request log (311, public records, dataset requests) into signals/<source>.md.

Reads a CSV, TSV or XLSX export of any size, row by row, and puts each row in a topic of tde.yaml's
find.topics: by the value of --topic-column (a category equal to a topic's name or containing
one of its keywords, ignoring case), else by a topic's keyword found as whole words in the
--text-column(s). It writes counts only: rows per topic, rows in no topic, the categories in no
topic that come up most, and the first and last date of --date-column. No row's text, name or
address is copied. Running again on the same source replaces its counts, keeps the record's
title, tags and body, and says what changed.
"""


@find_app.callback(invoke_without_command=True)
def find(
    ctx: typer.Context,
    fmt: Annotated[
        str, typer.Option("--format", "-f", help="table for people, json or csv for scripts.")
    ] = "table",
    project: ProjectOption = None,
) -> None:
    if ctx.invoked_subcommand is not None:
        return
    from tdekit.cli import load
    from tdekit.finding.ranking import rank_topics

    check_format(fmt, ("table", "json", "csv"))
    ranking = rank_topics(load(project_root(ctx, project)))
    _show_ranking(ranking, fmt)


@find_app.command(name="requests", help=REQUESTS_HELP)
def requests(
    ctx: typer.Context,
    file: Annotated[Path, typer.Argument(help="The CSV, TSV or XLSX export.", metavar="FILE", show_default=False)],
    source: Annotated[
        str, typer.Option("--source", help="The source's name; the signal's id is made from it.", show_default=False)
    ],
    kind: Annotated[
        str, typer.Option("--kind", help="service_requests, records_requests, dataset_requests, survey, meeting, other.")
    ] = "service_requests",
    topic_column: Annotated[
        str | None, typer.Option("--topic-column", help="The column of categories (Complaint Type, service_name).", metavar="C")
    ] = None,
    text_column: Annotated[
        list[str] | None, typer.Option("--text-column", help="A column of free text to find keywords in (repeatable).", metavar="C")
    ] = None,
    date_column: Annotated[
        str | None, typer.Option("--date-column", help="The column of dates the period is read from.", metavar="C")
    ] = None,
    where: Annotated[
        list[str] | None, typer.Option("--where", help="Count only rows where COL is VALUE, ignoring case (repeatable).", metavar="COL=VALUE")
    ] = None,
    project: ProjectOption = None,
) -> None:
    from tdekit import output
    from tdekit.finding.signals import write_signal
    from tdekit.finding.tally import tally_file
    from tdekit.finding.topics import TopicMap

    columns = _columns(kind, source, topic_column, text_column or [], date_column, where or [])
    root = project_root(ctx, project)
    topics = TopicMap(_topics(root))
    tally = tally_file(file, columns, topics)
    written = write_signal(root, source.strip(), kind, tally)
    typer.echo(written.path)
    for line in _summary(tally, written, columns):
        output.info(line)


def _columns(
    kind: str, source: str, topic: str | None, text: list[str], date: str | None, where: list[str]
) -> Any:
    from tdekit.errors import UsageError
    from tdekit.finding.tally import Columns
    from tdekit.records.kinds import SIGNAL_KINDS
    from tdekit.text import CONTROL_IN_LINE, closest

    if kind not in SIGNAL_KINDS:
        guess = closest(kind, SIGNAL_KINDS, fold=True)
        hint = f" (did you mean '{guess}'?)" if guess else ""
        raise UsageError(f"--kind: '{kind}' is not a kind of signal{hint}; choose one of: {', '.join(SIGNAL_KINDS)}")
    if not source.strip() or CONTROL_IN_LINE.search(source):
        raise UsageError("--source must be one line of text: the name of the source")
    if topic is None and not text:
        raise UsageError("say where the topic is: --topic-column C (a column of categories) or --text-column C")
    pairs = []
    for condition in where:
        name, equals, value = condition.partition("=")
        if not equals or not name.strip():
            raise UsageError(f"--where: '{condition}' is not COL=VALUE")
        pairs.append((name, value))
    return Columns(topic=topic, text=tuple(text), date=date, where=tuple(pairs))


def _topics(root: Path) -> dict[str, tuple[str, ...]]:
    from tdekit.errors import SettingsError, UsageError
    from tdekit.records.kinds import SETTINGS_FILE
    from tdekit.records.project import load_settings

    settings, problems = load_settings(root)
    if settings is None:
        details = "\n".join(p.format() for p in problems)
        raise SettingsError(f"{SETTINGS_FILE} cannot be used:\n{details}")
    topics: dict[str, tuple[str, ...]] = dict((settings.get("find") or {}).get("topics") or {})
    if not topics:
        raise UsageError(
            f"{SETTINGS_FILE} has no find.topics to put requests in; add them, topic -> keywords "
            "(see docs/find.md), e.g.\n  find:\n    topics:\n      evictions: [eviction, lockout]"
        )
    return topics


def _summary(tally: Any, written: Any, columns: Any) -> list[str]:
    from tdekit.finding.small import shown, shown_plural
    from tdekit.text import plural

    lines = []
    if written.created:
        kept = f", {shown(tally.rows)} counted" if columns.where else ""
        lines.append(
            f"Wrote {written.path}: {shown_plural(tally.read, 'row')} read{kept}, "
            f"{plural(len(tally.counts), 'topic')} found, {shown(tally.unmatched)} in no topic"
        )
    elif written.changes:
        lines.append(f"Replaced the counts of {written.path}:")
        lines.extend(f"  {change}" for change in written.changes)
    else:
        lines.append(f"{written.path}: no change")
    if tally.undated:
        lines.append(
            f"note: {shown_plural(tally.undated, 'row')} had a blank date or one tde could not read "
            f"(the first on line {tally.first_undated_line}); dates are read as YYYY-MM-DD or MM/DD/YYYY"
        )
    if tally.categories_overflow:
        lines.append("note: the topic column has too many distinct values to list those in no topic; is it a column of categories?")
    return lines


def _show_ranking(ranking: Any, fmt: str) -> None:
    """The ranking as a table, JSON or CSV; every count under 5 said as "fewer than 5"."""
    from tdekit import output

    rows = [_topic_json(topic) for topic in ranking.topics]
    if fmt == "json":
        output.print_json(rows)
        return
    if fmt == "csv":
        output.print_csv(
            ["rank", "topic", "rows", "share", "sources", "priority", "overlap", "by_source", "partners"],
            [[n, r["topic"], r["rows"], r["share"], r["sources"], _yes(r["priority"]), _yes(r["overlap"]),
              "; ".join(f"{s['signal']}: {s['rows']}" for s in r["by_source"]), "; ".join(r["partners"])]
             for n, r in enumerate(rows, 1)],
        )
        return
    if not ranking.signals:
        output.info("No signals yet. Tally a request log: tde find requests FILE --source NAME "
                    "--topic-column C; or record what a survey or meeting heard: tde new signal TITLE")
        return
    output.print_table(
        ["#", "Topic", "Rows", "Share", "Sources", "By source", "Priority"],
        [[str(n), r["topic"], str(r["rows"]), _percent(r["share"]), str(r["sources"]),
          "; ".join(f"{s['signal']} {s['rows']} ({_percent(s['share'])})" for s in r["by_source"]),
          "overlap" if r["overlap"] else ("yes" if r["priority"] else "")]
         for n, r in enumerate(rows, 1)],
        whole=(0, 2, 3, 4, 6),
    )
    _show_partners(rows)
    overlap = [r["topic"] for r in rows if r["overlap"]]
    if overlap:
        output.info("Area of overlap (a strategic priority that two sources or more support): " + ", ".join(overlap))
    elif not ranking.priorities:
        output.info("Add find.strategic_priorities to tde.yaml to see which topics the city already puts first.")


def _show_partners(rows: list[dict[str, Any]]) -> None:
    """The partners named in the project beside the topics they speak of, as a second table."""
    from tdekit import output

    beside = [[r["topic"], "; ".join(r["partners"])] for r in rows if r["partners"]]
    if beside:
        output.write("\n")
        output.print_table(["Topic", "Partners named in the project"], beside, whole=(0,))


def _topic_json(topic: Any) -> dict[str, Any]:
    from tdekit.finding.small import SMALL, shown

    def count(n: int) -> int | str:
        return shown(n) if n < SMALL else n

    def share(n: int, value: float | None) -> float | None:
        return None if n < SMALL or value is None else round(value, 4)

    return {
        "topic": topic.topic,
        "rows": count(topic.rows),
        "sources": topic.sources,
        "share": share(topic.rows, topic.share),
        "priority": topic.priority,
        "overlap": topic.overlap,
        "by_source": [
            {"signal": s.signal, "rows": count(s.rows), "share": share(s.rows, s.share)}
            for s in topic.by_source
        ],
        "partners": list(topic.partners),
    }


def _yes(value: bool) -> str:
    return "true" if value else "false"


def _percent(value: float | None) -> str:
    if value is None:
        return "-"
    return "<1%" if 0 < value < 0.01 else f"{value:.0%}"


app.add_typer(find_app, name="find", help=FIND_HELP, short_help="Step 1: the topics residents ask about most.")
