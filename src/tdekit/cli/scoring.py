"""``tde score`` and ``tde select``."""

from __future__ import annotations

import itertools
from typing import TYPE_CHECKING, Annotated, Any

import typer

from tdekit.cli import ProjectOption, app, check_format, project_root

if TYPE_CHECKING:
    from tdekit.scoring import Robustness, UseCaseScore

SCORE_HELP = """Rank use cases by weighted score, to help pick the one with the most potential.

The score is the weighted mean of a use case's criterion values, on the scale of tde.yaml;
each criterion's contribution is weight x value / total weight, so contributions add up to the
score. Beside it: the evidence (interviews that back the use case and their distinct
stakeholder types) and flags. A missing score is never counted as zero: the score is the
weighted mean over the criteria that are scored, and a use case missing a weighted criterion
is flagged incomplete and ranked after all complete ones; one with no scores ranks last.
A use case resting on at most one interview is flagged thin. Tied use cases share a rank (=2).

Under the table: whether the top use case stays first when any one weight moves by +/-20 %.
In JSON the first element carries that check as "robustness". A score is an aid to the
team's decision, never the decision.
"""


@app.command(help=SCORE_HELP)
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
            help="Only use cases with this status: candidate, shortlisted, selected or parked.",
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
    from tdekit.project import load_project

    check_format(fmt, ("table", "json", "csv"))
    root = project_root(ctx, project)
    loaded = load_project(root)
    criteria = list(scoring.criteria_of(loaded))
    overrides = scoring.parse_weights(weight or [], criteria)
    ranked = scoring.score_usecases(loaded, overrides, status)
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


# --- json and csv --------------------------------------------------------------------------


def _number(value: float | None) -> float | None:
    return None if value is None else round(value, 6)


def _as_json(
    scores: list[UseCaseScore], robust: Robustness, explain_scale: tuple[int, int] | None
) -> list[dict[str, Any]]:
    from tdekit.scoring import explain

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
            "criteria": {
                c.name: {"value": c.value, "weight": c.weight, "contribution": _number(c.contribution)}
                for c in item.criteria
            },
            "missing": list(item.missing),
            "evidence": {
                "interviews": len(item.evidence.interviews),
                "interview_ids": list(item.evidence.interviews),
                "stakeholder_types": list(item.evidence.stakeholder_types),
                "community": item.evidence.community,
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
    header = ["rank", "id", "title", "score", *criteria, "missing", "interviews", "stakeholder_types"]
    rows = [
        [
            item.rank,
            item.id,
            item.title,
            "" if item.score is None else _number(item.score),
            *("" if c.value is None else c.value for c in item.criteria),
            " ".join(item.missing),
            len(item.evidence.interviews),
            " ".join(item.evidence.stakeholder_types),
        ]
        for item in scores
    ]
    return header, rows


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
    from tdekit import output, scoring

    short = abbreviations(criteria)
    decimals = _decimals(ranked)
    flagged = any(item.flags for item in shown)
    columns: list[str | tuple[str, dict[str, Any]]] = [
        ("#", {"justify": "right", "no_wrap": True}),
        # ids are what 'tde select' takes: never cut, the other columns give way instead
        ("use case", {"no_wrap": True, "min_width": max((len(i.id) for i in shown), default=8)}),
        ("score", {"justify": "right", "no_wrap": True}),
        *((short[n], {"justify": "right", "no_wrap": True}) for n in criteria),
        ("interviews", {}),
    ]
    if flagged:
        columns.append(("flags", {}))
    table = output.table(None, columns)
    table.padding = (0, 0)  # the column divider leaves one space; 80 columns are tight
    for item in shown:
        ev = item.evidence
        types = len(ev.stakeholder_types)
        row = [
            f"={item.rank}" if item.tied else str(item.rank),
            output.escape(item.id),
            "–" if item.score is None else f"{item.score:.{decimals}f}",
            *("–" if c.value is None else str(c.value) for c in item.criteria),
            f"{len(ev.interviews)} ({types} type{'s' if types != 1 else ''})",
        ]
        if flagged:
            row.append(", ".join(item.flags))
        table.add_row(*row)
    if shown:
        output.show(table)
    lines: list[str] = []
    weights = ranked[0].criteria if ranked else ()
    lines.append(
        "Weights: "
        + ", ".join(f"{scoring.label(c.name)} ({short[c.name]}) {c.weight:g}" for c in weights)
        + f"; scale {scale[0]}–{scale[1]}. Interviews: the conversations behind each use case "
        "(distinct stakeholder types)."
    )
    if ranked:
        lines.append(_robustness_line(robust))
    if any(item.missing for item in shown):
        lines.append(scoring.HOW_MISSING_COUNTS)
    if any(item.evidence.thin for item in shown):
        lines.append("Thin: the use case rests on at most one interview.")
    if len(shown) < len(ranked):
        lines.append(f"Showing {len(shown)} of {len(ranked)} use cases.")
    console = output.stdout()
    for line in lines:
        console.print(output.escape(line))
    if explain:
        for item in shown:
            console.print()
            console.print(output.escape(scoring.explain(item, scale)))
            if item.score is not None:
                console.print(output.escape("Score: " + scoring.breakdown(item)))


def _robustness_line(robust: Robustness) -> str:
    percent = f"{robust.step:.0%}"
    if not robust.leaders:
        return "Robustness: no use case has a score yet."
    if robust.leader is None:
        return (
            f"Robustness: the top is tied ({', '.join(robust.leaders)}); the weights do not "
            "separate them, so the team decides."
        )
    if robust.holds:
        return f"Robustness: {robust.leader} stays first when any one weight moves by ±{percent}."
    moves = "; ".join(
        f"{c.criterion} {'+' if c.direction > 0 else '-'}{percent} puts "
        + (
            c.new_leaders[0] + " first"
            if len(c.new_leaders) == 1
            else " and ".join(c.new_leaders) + " level"
        )
        for c in robust.challengers
    )
    return f"Robustness: {robust.leader} is first, but not robustly: {moves}."


# --- select --------------------------------------------------------------------------------


@app.command()
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
