"""The ``tde`` command line: what its commands share.

:mod:`tdekit.cli.app` builds the ``tde`` application; each command module (:mod:`~.records`,
:mod:`~.check`, :mod:`~.scoring`, :mod:`~.report`) registers its commands on it. Every command
parses its arguments, calls one core function, hands the result to :mod:`tdekit.output`, and
lets :class:`~tdekit.errors.TdeError` become a message and an exit code. Heavy modules
(pydantic, ruamel.yaml, jinja2, markdown-it) are imported inside the commands that need them,
so ``tde --help`` stays quick.

This module is what the command modules share: the common options and finding and loading
the project. It imports none of them.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

if TYPE_CHECKING:
    from tdekit.records.record import Project

__all__ = ["FormatOption", "LangOption", "ProjectOption", "check_format", "load", "project_root"]

ProjectOption = Annotated[
    Path | None,
    typer.Option(
        "--project",
        "-p",
        help="The project folder (default: the nearest folder upwards with a tde.yaml).",
        file_okay=False,
        show_default=False,
    ),
]

LangOption = Annotated[
    str | None,
    typer.Option(
        "--lang",
        help=(
            "The language of the document's fixed words, as a BCP 47 tag (en, es) "
            "(default: a translated plan's own language, else tde.yaml's language, else en)."
        ),
        metavar="TAG",
        show_default=False,
    ),
]

FormatOption = Annotated[
    str, typer.Option("--format", "-f", help="Output: table for people, json for scripts.")
]


def project_root(ctx: typer.Context, project: Path | None) -> Path:
    """The project folder for a command: its own --project, the global one, or discovery."""
    from tdekit.records.project import find_root

    chosen = project or (ctx.obj or {}).get("project")
    return find_root(override=chosen)


def load(root: Path) -> Project:
    """The project at ``root``, loaded for one command.

    What is loaded lives until the process ends, so it is moved out of the garbage collector's
    sight: at 10,000 records the collector would otherwise walk it again for about 0.3 s.
    """
    import gc

    from tdekit.records.project import load_project

    loaded = load_project(root)
    gc.freeze()
    return loaded


def check_format(value: str, allowed: tuple[str, ...], option: str = "--format") -> str:
    if value not in allowed:
        raise typer.BadParameter(f"choose one of: {', '.join(allowed)}", param_hint=f"'{option}'")
    return value
