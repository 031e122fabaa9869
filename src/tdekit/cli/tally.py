"""``tde tally import``: dot and card counts from a CSV into a group engagement's tallies."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from tdekit.cli import ProjectOption, project_root
from tdekit.text import plural

#: This module's commands; :mod:`tdekit.cli.app` adds them to ``tde``.
app = typer.Typer(rich_markup_mode=None)

tally_app = typer.Typer(
    help="The counts of dot voting and card sorting at group engagements.",
    no_args_is_help=True,
    rich_markup_mode=None,
)
app.add_typer(
    tally_app,
    name="tally",
    help="The counts of dot voting and card sorting at group engagements.",
    short_help="Import dot votes and card counts into an engagement.",
)

IMPORT_HELP = """Write the counts of a CSV into a group engagement's tallies.

The CSV has a header row with the columns usecase and votes, and optionally cards: one row per
use case, as typed from the tally sheet. Every row is checked first; an id that is not a use
case (with a did-you-mean), a count that is not a whole number of 0 or more, a use case given
twice or a row counting nothing refuses the whole file, each with its line, and nothing is
written. The counts replace those of the same use cases; only the tallies of the engagement's
file change, every other byte is kept. Importing the same file again changes nothing.
"""


@tally_app.command(name="import", help=IMPORT_HELP, short_help="Write a CSV of counts into an engagement's tallies.")
def import_(
    ctx: typer.Context,
    file: Annotated[Path, typer.Argument(metavar="FILE", help="The CSV: usecase,votes[,cards].", show_default=False)],
    engagement: Annotated[
        str, typer.Option("--engagement", metavar="ID", help="The id of the group engagement (in interviews/).", show_default=False)
    ],
    project: ProjectOption = None,
) -> None:
    from tdekit.imports.tallies import import_tallies

    root = project_root(ctx, project)
    done = import_tallies(root, file, engagement)
    counted = len(done.usecases)
    what = plural(counted, "use case")
    if done.changed:
        typer.echo(f"wrote the tallies of {what} into {done.path}.")
    else:
        typer.echo(f"{done.path} already holds these tallies of {what}; nothing changed.")
