"""``tde circulate``: a plan out for comment, the round recorded as a git tag."""

from __future__ import annotations

from typing import Annotated

import typer

from tdekit.cli import ProjectOption, project_root
from tdekit.errors import UsageError

app = typer.Typer(rich_markup_mode=None)


@app.command(short_help="Circulate a plan for comment; the round becomes a git tag.")
def circulate(
    ctx: typer.Context,
    plan: Annotated[
        str | None,
        typer.Argument(metavar="[PLAN]", help="The plan's id or file (default: the plan of the selected use case).",
                       show_default=False),
    ] = None,
    closes: Annotated[
        str | None,
        typer.Option("--closes", metavar="DATE", help="Last day for comments (YYYY-MM-DD): sets comment_period.closes.",
                     show_default=False),
    ] = None,
    project: ProjectOption = None,
) -> None:
    """Circulate a plan for comment: its status becomes circulated (and --closes sets the
    closing date), the plan file alone is committed, and the round is tagged
    tde/<plan-id>/round-<n>.

    Refuses, changing nothing, outside a git work tree, while the project has errors, and while
    the plan file has changes that are not committed. Other files with changes are left as they
    are and are not part of the round.
    """
    import datetime as dt

    from tdekit.circulating import circulate_plan

    closing = None
    if closes is not None:
        try:
            closing = dt.date.fromisoformat(closes.strip())
        except ValueError:
            raise UsageError(f"--closes must be a date written YYYY-MM-DD, not '{closes}'") from None
    root = project_root(ctx, project)
    done = circulate_plan(root, plan, closing)
    if not done.changed:
        typer.echo(f"{done.plan} is circulated already as round {done.round} ({done.tag}) and "
                   "has not changed since; nothing changed.")
        return
    typer.echo(f"circulated {done.plan} for comment: round {done.round}, tagged {done.tag}.")
    if done.others:
        shown = ", ".join(done.others[:5]) + (f" and {len(done.others) - 5} more" if len(done.others) > 5 else "")
        typer.echo(f"Not part of the round (changes not committed): {shown}.", err=True)
