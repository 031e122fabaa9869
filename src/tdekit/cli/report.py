"""``tde render plan``, ``tde render cards`` and ``tde status``."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

import typer

from tdekit.cli import FormatOption, LangOption, ProjectOption, check_format, load, project_root

#: This module's commands; :mod:`tdekit.cli.app` adds them to ``tde``.
app = typer.Typer(rich_markup_mode=None)

render_app = typer.Typer(
    help="Render records for people outside the team.",
    no_args_is_help=True,
    rich_markup_mode=None,
)
app.add_typer(
    render_app,
    name="render",
    help=(
        "Render the plan you circulate for comment (Step 3: Design), as Markdown, HTML, PDF or "
        "Word, and printable cards for workshops."
    ),
    short_help="Render the plan for comment, or workshop cards.",
)

RENDER_HELP = """Render a plan for circulation: the document residents, partners and staff read.

It holds the plan with its use case and why it was chosen (score, rank, the conversations
behind it), the intended users and their user stories, the intervention, activities, roles,
timeline, outcomes, resources and steward, how feedback was sought and what the team did with
each piece, next steps, and the dates of the plan file's revisions from git (commit subjects
and authors too with render: {history: commits} in tde.yaml). Sections are numbered so that
commenters can cite them.

Consent is respected: a name appears only with public consent, anonymous material is shown by
role, private interviews and feedback never appear. HTML is one self-contained file (no
script, no external request) that reads well on a phone and prints cleanly. PDF is that HTML
printed by the system's Chromium or Chrome (TDE_BROWSER names another), with page numbers and
bookmarks; docx is a Word file made from it (with the docx extra: pip install 'tdekit[docx]'),
its sections in Word's heading styles. Both need -o FILE. The finished plan
is checked before it is printed or written: anything that runs, loads or sends, or any value
that consent withholds, refuses it (exit 1) with its line.

Without PLAN: the plan of the selected use case, or the only plan. The date printed as
"generated on" is today's, or that of SOURCE_DATE_EPOCH when it is set.
"""


OUTPUT_HELP = (
    "Write to FILE (replacing a regular file there) instead of printing; never tde.yaml "
    "nor a file in the record, templates, .git or .tde-cache folders. '-o -' prints "
    "to standard output (write ./- for a file named '-')."
)

#: The options every document of tde render takes.
RenderFormat = Annotated[
    str,
    typer.Option(
        "--format",
        "-f",
        help="md (GitHub-flavoured Markdown), html, pdf (printed by Chromium) or docx (Word); pdf and docx need -o.",
    ),
]
RenderOutput = Annotated[
    str | None,
    typer.Option(
        "--output",
        "-o",
        help=OUTPUT_HELP,
        metavar="FILE",
        show_default=False,
    ),
]


@render_app.command(name="plan", help=RENDER_HELP, short_help="Render a plan for circulation: Markdown, HTML, PDF or Word.")
def render_plan(
    ctx: typer.Context,
    plan: Annotated[
        str | None,
        typer.Argument(
            help="The plan's id or path (default: the selected use case's plan).",
            metavar="PLAN",
            show_default=False,
        ),
    ] = None,
    fmt: RenderFormat = "md",
    out: RenderOutput = None,
    changes_since: Annotated[
        int | None,
        typer.Option(
            "--changes-since",
            help=(
                "Show what changed in each part of the plan since circulation round N (a tag of "
                "tde circulate); default: since the last round before the current one."
            ),
            metavar="ROUND",
            show_default=False,
        ),
    ] = None,
    lang: LangOption = None,
    project: ProjectOption = None,
) -> None:
    _render(ctx, "plan", plan, fmt, out, project, changes_since=changes_since, lang=lang)


def _render(
    ctx: typer.Context,
    document: str,
    plan: str | None,
    fmt: str,
    out: str | None,
    project: Any,
    *,
    changes_since: int | None = None,
    lang: str | None = None,
) -> None:
    """Build ``document``'s view of ``plan`` in its language, render it checked, and print or write it."""
    from tdekit import fsio, i18n, output, publish
    from tdekit.publish import building, choice, formats
    from tdekit.publish import report as reporting

    check_format(fmt, formats.names())
    if formats.get(fmt).binary and out is None:
        from tdekit.errors import UsageError

        raise UsageError(f"--format {fmt} makes a binary file: give -o FILE (or -o - to write it to standard output)")
    root = project_root(ctx, project)
    target = None if out in (None, "-") else Path(out)  # '-' is standard output, as in most tools
    if target is not None:
        publish.check_target(root, target)
    loaded = load(root)
    # The report without PLAN is not of the plan the plan's default choice finds: tde.yaml's language.
    with i18n.use(building.language_of(loaded, plan, lang, own=document == "plan" or plan is not None)):
        if document == "report":
            view: Any = reporting.build_report_view(loaded, plan)
            plan_id = view.plan.id
        else:
            view = building.build_plan_view(loaded, plan, changes_since=changes_since)
            plan_id = view.id
        rendered = formats.render(loaded, view, fmt, document=document)  # checked: refused (exit 1) before anything is written
    if target is None:
        _print(rendered)
    else:
        fsio.write_file(target, rendered.encode("utf-8") if isinstance(rendered, str) else rendered, overwrite=True)
        output.info(f"Wrote the {document} of {plan_id} ({fmt}) to {target}" if document != "plan" else f"Wrote {plan_id} ({fmt}) to {target}")
    _warn_template_text(choice.template_warnings(loaded, plan_id), root)


REPORT_HELP = """Render the public report of the whole loop: what we heard, what we did.

It holds the focus area and the use case, who we heard from (counted by kind of stakeholder,
named only with public consent), why this use case (its score and how robust the ranking is),
the plan in brief, every piece of feedback that may be shown with the team's response, the
milestones and their status, the updates in the order they were sent, and each outcome
indicator against its target. HTML is one self-contained file (no script, no external
request) that reads well on a phone and prints; PDF and Word are made from it as for the plan
(both need -o FILE). Every format goes through the same checks as the plan.

Without PLAN: the only final plan, else the plan of the selected use case, or the only plan.
"""


@render_app.command(name="report", help=REPORT_HELP, short_help="Render the report of the whole loop: Markdown, HTML, PDF or Word.")
def render_report(
    ctx: typer.Context,
    plan: Annotated[
        str | None,
        typer.Argument(
            help="The plan's id or path (default: the only final plan).", metavar="PLAN", show_default=False,
        ),
    ] = None,
    fmt: RenderFormat = "md",
    out: RenderOutput = None,
    lang: LangOption = None,
    project: ProjectOption = None,
) -> None:
    _render(ctx, "report", plan, fmt, out, project, lang=lang)


CARDS_HELP = """Print cards for card sorting and dot voting at a workshop, as one HTML file.

A card per use case (its title, its first user story, the data it needs with its status and
who holds it, and a box for the dots) and per persona (goals, what gets in the way, data
needs), four to a Letter or A4 page with dashed cut lines and text large enough to read on a
wall; then a tally sheet listing every use case with boxes for the dots and cards counted. Type
the counts into a CSV and write them into the engagement's record with tde tally import.

The file is self-contained (no script, no external request) and is checked as the plan is
before it is printed or written. Open it in a browser and print it.
"""

@render_app.command(name="cards", help=CARDS_HELP, short_help="Print workshop cards for card sorting and dot voting.")
def render_cards(
    ctx: typer.Context,
    kind: Annotated[
        str, typer.Option("--kind", "-k", help="usecase, persona or all: whose cards to print.")
    ] = "all",
    out: RenderOutput = None,
    lang: LangOption = None,
    project: ProjectOption = None,
) -> None:
    from tdekit import fsio, i18n, output, publish
    from tdekit.publish import building, cards, formats
    from tdekit.text import join_words, plural

    check_format(kind, cards.KINDS, option="--kind")
    root = project_root(ctx, project)
    target = None if out in (None, "-") else Path(out)
    if target is not None:
        publish.check_target(root, target, "the cards")
    loaded = load(root)
    with i18n.use(building.language_of(loaded, None, lang, own=False)):
        view = cards.build_cards_view(loaded, kind)
        document = formats.render(loaded, view, "html", document="cards")  # checked before it is written
    if target is None:
        _print(document)
    else:
        fsio.write_file(target, document.encode("utf-8") if isinstance(document, str) else document, overwrite=True)
        made = [plural(len(view.usecases), "use case card")] if view.usecases else []
        made += [plural(len(view.personas), "persona card")] if view.personas else []
        made += ["the tally sheet"] if view.tally else []
        output.info(f"Wrote {join_words(made)} to {target}")


def _print(document: str | bytes) -> None:
    """The document on standard output: text as it is, bytes unchanged."""
    import sys

    if isinstance(document, bytes):
        sys.stdout.buffer.write(document)
        sys.stdout.flush()
    else:
        typer.echo(document, nl=not document.endswith("\n"))


def _warn_template_text(warnings: list[Any], root: Path) -> None:
    """Template text the plan shows, one line each on stderr, and what to do about it."""
    import sys

    from tdekit import output
    from tdekit.text import plural
    from tdekit.validate import seen_from

    if warnings:
        output.print_problems(seen_from(warnings, root, Path.cwd()), stream=sys.stderr)
        output.info(
            f"The plan shows text left from a template in {plural(len(warnings), 'place')}; "
            "replace it before circulating the plan."
        )


@app.command(short_help="Where the project stands, and what to do next.")
def status(
    ctx: typer.Context,
    fmt: FormatOption = "table",
    project: ProjectOption = None,
) -> None:
    """Where the project stands in the four steps of TDE, and the next thing to do."""
    from tdekit import output
    from tdekit import status as status_core

    check_format(fmt, ("table", "json"))
    root = project_root(ctx, project)
    report = status_core.project_status(load(root))
    if fmt == "json":
        output.print_json(report.as_json())
        return
    _show_status(report)


def _show_status(report: Any) -> None:
    """The status as a short report: the four steps, the counts behind them, what to do next."""
    from tdekit import output

    label = output.escape
    steps = output.table(report.name, ["Step", "", "Where it stands"])
    for step in report.steps:
        steps.add_row(f"{step.number} {step.name}", "done" if step.done else "", label(step.summary))
    output.show(steps)
    details = output.table(None, ["", ""])
    details.show_header = False
    if report.focus_rationale:
        details.add_row("Why this focus area", label(report.focus_rationale))
    if report.interviews:
        # Interviews whose type or consent does not validate are not counted by either.
        details.add_row("Interviews by stakeholder type", label(_counts(report.by_stakeholder) or "none recorded yet"))
        details.add_row("Interviews by consent", label(_counts(report.by_consent) or "none recorded yet"))
    _add_unheard(details, report)
    if sum(report.usecases.values()):
        details.add_row("Use cases by status", label(_counts(report.usecases)))
        details.add_row("Fully scored", f"{report.fully_scored} of {sum(report.usecases.values())}")
    details.add_row("Selected use case", label(report.selected or "none"))
    for plan in report.plans:
        feedback = _counts(plan.feedback) or "no feedback yet"
        milestones = f"; milestones: {plan.milestones_done} of {plan.milestones} done" if plan.milestones else ""
        details.add_row(f"Plan {label(plan.id)}", label(f"{plan.status}; feedback: {feedback}{milestones}"))
    if report.implement is not None:
        for name, said in _implement_rows(report.implement):
            details.add_row(name, label(said))
    output.show(details)
    for number, action in enumerate(report.next):
        output.show(("Next: " if number == 0 else "Then: ") + label(action))


def _implement_rows(imp: Any) -> list[tuple[str, str]]:
    """Step 4's rows: what is overdue, the last update and how long ago, outcomes against targets."""
    from tdekit.text import plural

    rows: list[tuple[str, str]] = []
    if imp.overdue:
        rows.append(("Overdue", "; ".join(f"{m['what']} (due {m['when']})" for m in imp.overdue)))
    last = imp.last_update
    rows.append((
        "Last update",
        f"{last.title}, {last.date} ({_ago(last.days_ago)}); {plural(imp.updates, 'update')} in all"
        if last else "none yet",
    ))
    for outcome in imp.outcomes:
        if outcome["indicator"]:
            rows.append(("Outcome", f"{outcome['indicator']}: {_measure(outcome)}"))
    return rows


def _ago(days: int) -> str:
    from tdekit.text import plural

    return "today" if days == 0 else f"{plural(days, 'day')} ago" if days > 0 else f"in {plural(-days, 'day')}"


def _measure(outcome: dict[str, Any]) -> str:
    """``55.5 against a target of 50 (baseline 61), measured 2026-09-30: met``."""
    from tdekit import i18n

    def number(value: Any) -> str:
        return i18n.number(value) if isinstance(value, float) else str(value)

    target = f"target {number(outcome['target'])}" if outcome["target"] is not None else "no target set"
    baseline = f", baseline {number(outcome['baseline'])}" if outcome["baseline"] is not None else ""
    if outcome["actual"] is None:
        return f"not measured yet ({target}{baseline})"
    when = f" on {outcome['measured_on']}" if outcome["measured_on"] else ""
    met = {True: ": target met", False: ": target not met yet", None: ""}[outcome["met"]]
    return f"{number(outcome['actual'])} measured{when} ({target}{baseline}){met}"


def _add_unheard(details: Any, report: Any) -> None:
    """Who we have not heard from: the rows are there only when there is something to say."""
    from tdekit import output

    if report.interviews and report.unheard:
        details.add_row("Not heard from yet", output.escape(", ".join(t.replace("_", " ") for t in report.unheard)))
    if report.personas_without_interviews:
        details.add_row("Personas based on no interview", output.escape(", ".join(report.personas_without_interviews)))
    if report.single_type_usecases:
        details.add_row("Use cases heard from one type only", output.escape(", ".join(report.single_type_usecases)))


def _counts(counts: dict[str, int]) -> str:
    return ", ".join(f"{key.replace('_', ' ')} {n}" for key, n in counts.items() if n)
