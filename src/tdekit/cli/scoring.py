"""``tde score`` and ``tde select``."""

from __future__ import annotations

import itertools
from typing import TYPE_CHECKING, Annotated, Any

import typer

from tdekit.cli import ProjectOption, check_format, load, project_root
from tdekit.errors import UsageError
from tdekit.records.kinds import KINDS
from tdekit.text import humanize, join_words

if TYPE_CHECKING:
    from tdekit.scoring import Robustness, UseCaseScore

#: This module's commands; :mod:`tdekit.cli.app` adds them to ``tde``.
app = typer.Typer(rich_markup_mode=None)

SCORE_HELP = """Rank use cases by weighted score, to help pick the one with the most potential.

The score is the weighted mean of a use case's criterion values, on the scale of tde.yaml;
each criterion's contribution is weight x value / total weight, so contributions add up to the
score. Beside it, the evidence: c/p/t, c conversations (interviews and group engagements)
that back the use case, with p people of t distinct stakeholder types, and the votes (dots
from the tallies of group engagements) when any were counted. A missing score (a dash) is never counted as zero: the score is the weighted
mean over the criteria that are scored, and a use case missing a weighted criterion is flagged
incomplete (*) and ranked after all complete ones; one with no scores ranks last. A use case
resting on at most one interview is flagged thin. Tied use cases share a rank (=2).

Under the table: whether the top use case stays first when any one weight moves by +/-20 %.
In JSON the first element carries that check as "robustness". The table shows each value;
--explain adds how the contributions add up. CSV has a row per use case: rank, tied, id,
title, status, score, incomplete, missing, then NAME_value, NAME_weight and NAME_contribution
for each criterion, then interviews, people, stakeholder_types, community (interviews with
residents or community groups), votes and thin. A score is an aid to the team's decision, never the decision.
"""


@app.command(help=SCORE_HELP, short_help="Rank use cases by weighted score, with evidence.")
def score(
    ctx: typer.Context,
    weight: Annotated[
        list[str] | None,
        typer.Option(
            "--weight",
            "-w",
            metavar="NAME=W",
            help="Use weight W for criterion NAME in this run (repeatable; W >= 0).",
            show_default=False,
        ),
    ] = None,
    top: Annotated[
        int | None,
        typer.Option(
            "--top", "-n", min=1, metavar="N", help="Show only the first N use cases.", show_default=False
        ),
    ] = None,
    status: Annotated[
        str | None,
        typer.Option(
            "--status",
            "-s",
            metavar="STATUS",
            help=f"Only use cases with this status: {join_words(KINDS['usecase'].statuses, 'or')}.",
            show_default=False,
        ),
    ] = None,
    explain: Annotated[
        bool,
        typer.Option(
            "--explain",
            help="Add a plain-language paragraph per use case, and how its score adds up "
            "(in JSON: an 'explanation' field).",
        ),
    ] = False,
    fmt: Annotated[
        str,
        typer.Option(
            "--format", "-f", help="Output: table for people, json for scripts, csv for spreadsheets."
        ),
    ] = "table",
    project: ProjectOption = None,
) -> None:
    from tdekit import output, scoring

    check_format(fmt, ("table", "json", "csv"))
    root = project_root(ctx, project)
    loaded = load(root)
    criteria = list(scoring.criteria_of(loaded))
    overrides = parse_weights(weight or [], criteria)
    try:
        ranked = scoring.score_usecases(loaded, overrides, status)
    except scoring.ZeroWeights as err:
        raise UsageError(f"--weight: {err.reason}") from None
    robust = scoring.check_robustness(ranked)
    shown = ranked[:top] if top is not None else ranked
    if fmt == "json":
        output.print_json(_as_json(shown, robust, scoring.scale_of(loaded) if explain else None))
    elif fmt == "csv":
        output.print_csv(*_as_csv(shown, criteria))
    else:
        _show_table(shown, ranked, robust, criteria, scoring.scale_of(loaded), explain)
    skipped = scoring.unscorable(loaded)
    if skipped:
        count = len(skipped)
        output.info(
            f"{count} use case file{'s were' if count != 1 else ' was'} left out of the ranking "
            f"({', '.join(skipped)}); run 'tde validate' to see why."
        )
    if not ranked:
        which = f" with status {status}" if status else ""
        output.info(f"No use cases{which} to score.")


def parse_weights(specs: list[str], criteria: list[str]) -> dict[str, float]:
    """Read ``--weight NAME=W`` options into weights; refuse unknown names and bad numbers (exit 2)."""
    from tdekit.scoring import WeightError, check_weight

    weights: dict[str, float] = {}
    for spec in specs:
        name, sep, text = spec.partition("=")
        name, text = name.strip(), text.strip()
        if not sep or not name:
            raise UsageError(f"--weight {spec!r}: write it as NAME=WEIGHT, e.g. --weight capacity=0.4")
        try:
            value = float(text)
        except ValueError:
            value = None
        try:
            weights[name] = check_weight(name, 0.0 if value is None else value, criteria)
        except WeightError as err:
            raise UsageError(f"--weight {spec!r}: {err.reason}") from None
        if value is None:
            raise UsageError(f"--weight {spec!r}: '{text}' is not a number")
    return weights


# --- json and csv --------------------------------------------------------------------------


def _number(value: float | None) -> float | None:
    return None if value is None else round(value, 6)


def _as_json(
    scores: list[UseCaseScore], robust: Robustness, explain_scale: tuple[int, int] | None
) -> list[dict[str, Any]]:
    from tdekit.cli.explaining import explain

    items: list[dict[str, Any]] = []
    for item in scores:
        entry: dict[str, Any] = {
            "id": item.id,
            "title": item.title,
            "status": item.status,
            "rank": item.rank,
            "tied": item.tied,
            "score": _number(item.score),
            "incomplete": item.incomplete,
            "thin": item.evidence.thin,
            "done": item.done,
            "criteria": {
                c.name: {"value": c.value, "weight": c.weight, "contribution": _number(c.contribution)}
                for c in item.criteria
            },
            "missing": list(item.missing),
            "evidence": {
                "interviews": len(item.evidence.interviews),
                "interview_ids": list(item.evidence.interviews),
                "people": item.evidence.people,
                "stakeholder_types": list(item.evidence.stakeholder_types),
                "community": item.evidence.community,
                "votes": item.evidence.votes,
            },
        }
        if explain_scale is not None:
            entry["explanation"] = explain(item, explain_scale)
        if not items:
            entry["robustness"] = {
                "leaders": list(robust.leaders),
                "step": robust.step,
                "holds": robust.holds,
                "challengers": [
                    {
                        "criterion": c.criterion,
                        "direction": "up" if c.direction > 0 else "down",
                        "weight": _number(c.weight),
                        "new_leaders": list(c.new_leaders),
                    }
                    for c in robust.challengers
                ],
            }
        items.append(entry)
    return items


def _as_csv(scores: list[UseCaseScore], criteria: list[str]) -> tuple[list[str], list[list[Any]]]:
    """One row per use case: what the JSON holds, flattened for a spreadsheet.

    Each criterion NAME gives three columns, NAME_value, NAME_weight and NAME_contribution. Every
    criterion column ends in one of those three words and no other column does, so no criterion,
    not even one called 'score' or 'rank', can take the name of another column.
    """
    header = [
        "rank", "tied", "id", "title", "status", "score", "incomplete", "missing",
        *(f"{name}_{part}" for name in criteria for part in ("value", "weight", "contribution")),
        "interviews", "people", "stakeholder_types", "community", "votes", "thin", "done",
    ]
    rows = [
        [
            item.rank,
            _flag(item.tied),
            item.id,
            item.title,
            item.status,
            _blank(_number(item.score)),
            _flag(item.incomplete),
            " ".join(item.missing),
            *(cell for c in item.criteria for cell in (_blank(c.value), c.weight, _blank(_number(c.contribution)))),
            len(item.evidence.interviews),
            item.evidence.people,
            " ".join(item.evidence.stakeholder_types),
            item.evidence.community,
            item.evidence.votes,
            _flag(item.evidence.thin),
            _flag(item.done),
        ]
        for item in scores
    ]
    return header, rows


def _blank(value: float | None) -> float | str:
    return "" if value is None else value


def _flag(value: bool) -> str:
    return "true" if value else "false"


# --- the table -----------------------------------------------------------------------------


def abbreviations(names: list[str]) -> dict[str, str]:
    """Short unique column headers: the first three letters, longer where two would clash."""
    short: dict[str, str] = {}
    for name in names:
        size = min(3, len(name))
        while any(
            other != name and other[:size] == name[:size] for other in names
        ) and size < len(name):
            size += 1
        short[name] = name[:size]
    return short


def _decimals(scores: list[UseCaseScore]) -> int:
    """Two decimals, or more where two scores of different rank would print alike."""
    for decimals in range(2, 7):
        printed = [(s.rank, f"{s.score:.{decimals}f}") for s in scores if s.score is not None]
        if all(a[1] != b[1] or a[0] == b[0] for a, b in itertools.pairwise(printed)):
            return decimals
    return 6


def _show_table(
    shown: list[UseCaseScore],
    ranked: list[UseCaseScore],
    robust: Robustness,
    criteria: list[str],
    scale: tuple[int, int],
    explain: bool,
) -> None:
    from tdekit import output
    from tdekit.cli import explaining

    if not shown:
        return
    short = abbreviations(criteria)
    output.write(_table(shown, criteria, short, _decimals(ranked), output.width()) + "\n")
    evidence = (
        "Evidence c/p/t: c conversations back the use case, with p people of t distinct "
        "stakeholder types"
    )
    if any(item.evidence.votes for item in shown):
        evidence += "; votes: dots from dot voting at group engagements"
    if any(item.evidence.thin for item in shown):
        evidence += "; thin: at most one conversation"
    if any(item.done for item in shown):
        evidence += "; done: a final plan is for it (the others are the backlog)"
    lines = [
        "Weights: "
        + ", ".join(f"{humanize(c.name)} ({short[c.name]}) {c.weight:g}" for c in shown[0].criteria)
        + f"; scale {scale[0]}–{scale[1]}. {evidence}.",
        explaining.robustness_line(robust),
    ]
    if not explain:  # a contribution beside each value would not fit 80 columns: say where they are
        lines.insert(1, "Contributions (weight × value ÷ total weight): --explain, --format json or csv.")
    if any(item.missing for item in shown):
        lines.append(explaining.HOW_MISSING_COUNTS)
    if len(shown) < len(ranked):
        lines.append(f"Showing {len(shown)} of {len(ranked)} use cases.")
    if explain:
        for item in shown:
            lines.append("")
            lines.append(explaining.explain(item, scale))
            if item.score is not None:
                lines.append("Score: " + explaining.breakdown(item))
    output.paragraphs(lines)


def _table(
    shown: list[UseCaseScore], criteria: list[str], short: dict[str, str], decimals: int, width: int
) -> str:
    """The ranking as lines of text, one per use case, laid out for ``width`` columns.

    Rows are formatted here rather than by a rich table, which takes about a millisecond a row.
    An id too long for the room left beside the numbers gets a line of its own, uncut: ids are
    what 'tde select' takes.
    """
    from tdekit.output import cells, styled

    dash, star, thin = styled("–", "dim"), styled("*", "yellow"), styled("thin", "yellow")
    done = styled("done", "green")

    def right(text: str, size: int) -> str:
        """``text`` right-aligned in ``size`` columns; a dash where there is nothing."""
        return " " * (size - len(text)) + text if text else " " * (size - 1) + dash

    marked = any(item.incomplete and item.score is not None for item in shown)
    values = ["" if item.score is None else f"{item.score:.{decimals}f}" for item in shown]
    value_w = max(map(len, values))
    score_w = max(len("score"), value_w + marked)
    texts: dict[str, list[str]] = {n: [] for n in criteria}
    for item in shown:
        for c in item.criteria:
            texts[c.name].append("" if c.value is None else str(c.value))
    crit_w = {n: max(len(short[n]), *map(len, texts[n])) for n in criteria}
    count_w = max(len(str(len(item.evidence.interviews))) for item in shown)
    people_w = max(len(str(item.evidence.people)) for item in shown)
    voted = any(item.evidence.votes for item in shown)
    votes_w = max(len("votes"), *(len(str(item.evidence.votes)) for item in shown))
    rests: list[str] = []
    evidence_w = len("evidence")
    for row, (item, value) in enumerate(zip(shown, values, strict=True)):
        score = " " * (score_w - value_w - marked) + right(value, value_w)
        if marked:
            score += star if item.score is not None and item.incomplete else " "
        ev = item.evidence
        evidence = f"{len(ev.interviews):>{count_w}}/{ev.people:>{people_w}}/{len(ev.stakeholder_types)}"
        evidence_w = max(evidence_w, len(evidence) + 5 * ev.thin + 5 * item.done)
        rests.append(" ".join([
            score,
            *(right(texts[n][row], crit_w[n]) for n in criteria),
            *([right(str(ev.votes) if ev.votes else "", votes_w)] if voted else []),
            evidence + (" " + thin if ev.thin else "") + (" " + done if item.done else ""),
        ]))
    votes_head = ["votes".rjust(votes_w)] if voted else []
    header = " ".join(
        ["score".rjust(score_w), *(short[n].rjust(crit_w[n]) for n in criteria), *votes_head, "evidence"]
    )
    rank_w = max(len(rank) for rank in [*map(_rank, shown), "#"])
    rest_w = len(header) - len("evidence") + evidence_w
    room = width - rank_w - rest_w - 2
    id_w = max([len("use case"), *(cells(item.id) for item in shown if cells(item.id) <= room)])
    lines = [styled(f"{'#':>{rank_w}} {'use case':<{id_w}} {header}", "bold")]
    lines.append("─" * min(width, rank_w + id_w + rest_w + 2))
    for item, rest in zip(shown, rests, strict=True):
        size = cells(item.id)
        if size > id_w:  # on a line of its own, the numbers below it
            lines.append(f"{_rank(item):>{rank_w}} {item.id}")
            lines.append(" " * (rank_w + id_w + 2) + rest)
        else:
            lines.append(f"{_rank(item):>{rank_w}} {item.id}{' ' * (id_w - size)} {rest}")
    return "\n".join(lines) + "\n"


def _rank(item: UseCaseScore) -> str:
    return f"={item.rank}" if item.tied else str(item.rank)


# --- select --------------------------------------------------------------------------------


@app.command(short_help="Mark one use case selected for Step 3 (Design).")
def select(
    ctx: typer.Context,
    usecase: Annotated[
        str, typer.Argument(metavar="USECASE", help="The id of the use case to select.", show_default=False)
    ],
    project: ProjectOption = None,
) -> None:
    """Mark one use case selected for Step 3 (Design); a previously selected one goes back to shortlisted.

    Only the status line of each touched file changes: comments, quoting, key order, the BOM
    and line ends stay. Refuses unknown ids, other kinds of record and files with errors.
    """
    from tdekit.selecting import select_usecase

    root = project_root(ctx, project)
    done = select_usecase(root, usecase)
    if not done.changed:
        typer.echo(f"{done.selected} is already the selected use case; nothing changed.")
        return
    message = f"selected {done.selected}"
    if done.demoted:
        back = " and ".join(usecase_id for usecase_id, _ in done.demoted)
        message += f"; {back} {'is' if len(done.demoted) == 1 else 'are'} back to shortlisted"
    typer.echo(message + ".")
    if done.final_plan is not None:
        from tdekit import output

        output.info(
            f"note: {done.selected} is done (plan {done.final_plan} is final); the backlog is the "
            "shortlisted use cases without a plan (tde score marks the done ones)"
        )
