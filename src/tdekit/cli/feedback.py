"""``tde feedback import`` (form exports and e-mail into feedback) and ``tde export feedback``."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from tdekit.cli import ProjectOption, load, project_root

if TYPE_CHECKING:
    from tdekit.imports.feedback import ImportResult

#: This module's commands; :mod:`tdekit.cli.app` adds them to ``tde``.
app = typer.Typer(rich_markup_mode=None)

feedback_app = typer.Typer(help="Feedback on a plan, from form exports and e-mail.",
                           no_args_is_help=True, rich_markup_mode=None)
app.add_typer(feedback_app, name="feedback", help="Feedback on a plan, from form exports and e-mail.",
              short_help="Import comments from a form export or e-mail.")
export_app = typer.Typer(help="Data sets for publishing.", no_args_is_help=True, rich_markup_mode=None)
app.add_typer(export_app, name="export", help="Data sets for publishing.",
              short_help="Export what we heard and what we did, as CSV or JSON.")

IMPORT_HELP = """Make one feedback record per row of a form export, or per e-mail.

FILE is a form export (CSV or TSV in UTF-8, cp1252 or UTF-16; an .xlsx workbook; or the .zip
Google Forms downloads) or e-mail (an .eml file, a folder of them, or an mbox). Columns are
taken from --map FIELD=COLUMN, then tde.yaml's imports.feedback.columns, else guessed from the
headers; --dry-run shows which, and what would be added. Consent comes only from the person's
answer through imports.feedback.consent_values; otherwise the item is private. An e-mail
address is kept only in contact, which nothing renders or exports. A row imported before (by
its import_key) is not imported again. Any bad row refuses the whole import, naming its row;
nothing is written then.
"""


@feedback_app.command(name="import", help=IMPORT_HELP, short_help="Import a form export or e-mail as feedback.")
def import_(
    ctx: typer.Context,
    file: Annotated[Path, typer.Argument(metavar="FILE", help="The export, .eml file or folder, or mbox.",
                                         show_default=False)],
    plan: Annotated[str, typer.Option("--plan", metavar="PLAN", help="The plan commented on (its id).",
                                      show_default=False)],
    maps: Annotated[list[str] | None, typer.Option(
        "--map", metavar="FIELD=COLUMN",
        help="The column for a field: date, source, contact, section, body, consent, stakeholder_type.",
        show_default=False)] = None,
    channel: Annotated[str | None, typer.Option("--channel", metavar="CHANNEL", help="The channel of every item "
                                                "(default: tde.yaml's, else online_comment, email for e-mail).",
                                                show_default=False)] = None,
    round_: Annotated[int | None, typer.Option("--round", metavar="N", min=1,
                                               help="The circulation round the comments answer.",
                                               show_default=False)] = None,
    dates: Annotated[str | None, typer.Option("--dates", metavar="dmy|mdy",
                                              help="How to read dates like 03/04/2026, when the file does not tell.",
                                              show_default=False)] = None,
    encoding: Annotated[str | None, typer.Option("--encoding", metavar="NAME", help="The text file's encoding "
                                                 "(default: from its BOM, else UTF-8, else cp1252).",
                                                 show_default=False)] = None,
    separator: Annotated[str | None, typer.Option("--separator", metavar="CHAR", help="The text file's separator "
                                                  "(default: guessed from the header: tab, ';' or ',').",
                                                  show_default=False)] = None,
    dry_run: Annotated[bool, typer.Option("--dry-run", help="Show the mapping and what would be added; write nothing.")] = False,
    project: ProjectOption = None,
) -> None:
    from tdekit.imports.feedback import FeedbackOptions, import_feedback

    options = FeedbackOptions(
        plan=plan, maps=_maps(maps or []), channel=_channel(channel), round=round_,
        dates=_dates(dates), encoding=encoding, delimiter=_separator(separator), dry_run=dry_run,
    )
    root = project_root(ctx, project)
    _report(import_feedback(root, file, options), dry_run)


def _maps(given: list[str]) -> dict[str, str]:
    from tdekit.imports.mapping import FIELDS

    maps: dict[str, str] = {}
    for item in given:
        name, sep, column = item.partition("=")
        name = name.strip()
        if not sep or not column.strip():
            raise typer.BadParameter(f"'{item}' is not FIELD=COLUMN", param_hint="'--map'")
        if name not in FIELDS:
            raise typer.BadParameter(f"'{name}' is not a field; choose one of: {', '.join(FIELDS)}", param_hint="'--map'")
        maps[name] = column.strip()
    return maps


def _channel(value: str | None) -> str | None:
    from tdekit.labels import CHANNELS

    if value is not None and value not in CHANNELS:
        raise typer.BadParameter(f"choose one of: {', '.join(CHANNELS)}", param_hint="'--channel'")
    return value


def _dates(value: str | None) -> str | None:
    if value is not None and value not in ("dmy", "mdy"):
        raise typer.BadParameter("choose dmy (day first) or mdy (month first)", param_hint="'--dates'")
    return value


def _separator(value: str | None) -> str | None:
    if value is None:
        return None
    value = {"tab": "\t", "\\t": "\t", "semicolon": ";", "comma": ","}.get(value, value)
    if len(value) != 1:
        raise typer.BadParameter("give one character, or tab", param_hint="'--separator'")
    return value


def _report(done: ImportResult, dry_run: bool) -> None:
    from tdekit.text import plural, terminal_safe

    typer.echo(f"{terminal_safe(done.source)}: {done.shape}")
    if done.mapping is not None:
        for column in done.mapping.columns:
            typer.echo(f"  {column.field:<17} <- '{terminal_safe(column.header)}' ({column.how})")
        for name, header in done.mapping.missing:
            typer.echo(f"  (tde.yaml's column for {name}, '{terminal_safe(header)}', is not in this file)")
        if not any(c.field == "consent" for c in done.mapping.columns):
            typer.echo("  consent           <- no column: every item is private")
        if done.mapping.unused:
            typer.echo(f"  not imported: {', '.join(repr(terminal_safe(h)) for h in done.mapping.unused)}")
    for item in done.added:
        typer.echo(f"  {item.where}: {item.path} ({item.consent}, {item.date.isoformat()})")
    counts = [plural(len(done.added), "new item")]
    if done.already:
        counts.append(f"{done.already} imported before")
    if done.empty:
        counts.append(f"{done.empty} without a comment")
    verb = "would add" if dry_run else ("added" if done.written else "nothing to add")
    typer.echo(f"{verb}: {', '.join(counts)}." + (" Nothing was written (--dry-run)." if dry_run else ""))


EXPORT_HELP = """The feedback on a plan as open data: what we heard and what we did.

One row per piece of feedback that may be shown, numbered as the rendered plan numbers it:
number, date, source, stakeholder type, channel, section, text, disposition, response and
round. Anonymous items keep their words; their source is only a role. Private items are only
counted, in a closing line (JSON: withheld). The contact is never exported. The export passes
the same redaction check as a rendered plan. A CSV cell that would start with = + - @ starts
with an apostrophe instead, so that no spreadsheet runs it as a formula.
"""


@export_app.command(name="feedback", help=EXPORT_HELP, short_help="Feedback and responses as CSV or JSON.")
def export_feedback(
    ctx: typer.Context,
    plan: Annotated[str | None, typer.Option("--plan", metavar="PLAN", help="One plan's feedback (default: every plan's).",
                                             show_default=False)] = None,
    fmt: Annotated[str, typer.Option("--format", "-f", help="csv or json.")] = "csv",
    out: Annotated[str | None, typer.Option("--output", "-o", metavar="FILE",
                                            help="Write to FILE instead of printing ('-' prints).",
                                            show_default=False)] = None,
    project: ProjectOption = None,
) -> None:
    from tdekit import fsio, output, publish
    from tdekit.cli import check_format
    from tdekit.publish.exporting import FORMATS
    from tdekit.publish.exporting import export_feedback as export

    check_format(fmt, FORMATS)
    root = project_root(ctx, project)
    target = None if out in (None, "-") else Path(out)
    if target is not None:
        publish.check_target(root, target)
    text = export(load(root), plan, fmt)
    if target is None:
        typer.echo(text, nl=False)
        return
    bom = b"\xef\xbb\xbf" if fmt == "csv" else b""  # so that Excel reads the file as UTF-8
    fsio.write_file(target, bom + text.encode("utf-8"), overwrite=True)
    output.info(f"Wrote the feedback ({fmt}) to {target}")
