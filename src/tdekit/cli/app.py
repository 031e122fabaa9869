"""The ``tde`` application: its commands, and the net that turns every failure into an exit code.

The command modules register their commands here, in the order of ``tde --help``.
"""

from __future__ import annotations

import errno
import os
import sys
from pathlib import Path
from typing import Annotated, Any

import typer
from typer.core import TyperGroup

from tdekit import __version__
from tdekit.cli import (
    ProjectOption,
    check,
    circulate,
    feedback,
    find,
    records,
    report,
    scoring,
    tally,
)
from tdekit.cli.coercion import prime
from tdekit.errors import EXIT_PROBLEMS, TdeError

__all__ = ["app", "main"]


class _Group(TyperGroup):
    """Turns tdekit's errors into one line on stderr and the right exit code, and has each
    parameter converted without pydantic (:mod:`tdekit.cli.coercion`)."""

    def parse_args(self, ctx: Any, args: list[str]) -> list[str]:
        prime(self, ctx)
        return super().parse_args(ctx, args)

    def invoke(self, ctx: Any) -> Any:
        try:
            return super().invoke(ctx)
        except TdeError as err:
            from tdekit import output

            output.error(err.message)
            raise typer.Exit(err.exit_code) from None


HELP = """Tactical Data Engagement, kept as a folder of Markdown files.

Steps: 1 Find a focus area, 2 Refine it into use cases with stakeholders, 3 Design a plan for
one use case with its intended users, 4 Implement it. tde scaffolds the records of that work,
checks them, shortlists use cases and renders the plan you circulate for comment.
"""

app = typer.Typer(
    name="tde",
    cls=_Group,
    help=HELP,
    no_args_is_help=True,
    add_completion=True,
    pretty_exceptions_enable=False,
    pretty_exceptions_show_locals=False,
    rich_markup_mode=None,
    context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100},
)


def _version(value: bool) -> None:
    if value:
        typer.echo(f"tde {__version__}")
        raise typer.Exit()


@app.callback()
def _root(
    ctx: typer.Context,
    project: ProjectOption = None,
    version: Annotated[
        bool,
        typer.Option("--version", callback=_version, is_eager=True, help="Show the version and exit."),
    ] = False,
) -> None:
    ctx.obj = {"project": project}


class OutputFailed(Exception):
    """Writing to stdout or stderr failed: a full disk, a closed terminal, a revoked device."""

    def __init__(self, stream: str, err: OSError) -> None:
        super().__init__(f"cannot write to {stream}: {err.strerror or err}")
        self.stream = stream


class _Guarded:
    """``sys.stdout`` or ``sys.stderr`` as it was, except that a failed write or flush is an
    :class:`OutputFailed` naming the stream, so that it is told apart from other errors.
    A broken pipe stays a BrokenPipeError: the reader went away, which is not a failure."""

    def __init__(self, stream: Any, name: str) -> None:
        self._stream = stream
        self._name = name

    def _guard(self, call: str, *args: Any) -> Any:
        try:
            if self._stream is None:  # the descriptor was closed before tde started
                raise OSError(errno.EBADF, "it is closed")
            return getattr(self._stream, call)(*args)
        except BrokenPipeError:
            raise
        except OSError as err:
            raise OutputFailed(self._name, err) from None

    def write(self, text: str) -> int:
        return int(self._guard("write", text))

    def writelines(self, lines: Any) -> None:
        self._guard("writelines", lines)

    def flush(self) -> None:
        self._guard("flush")

    def __getattr__(self, name: str) -> Any:
        return getattr(self._stream, name)


def _silence(stream: Any) -> None:
    """Point the file descriptor under ``stream`` at /dev/null, so that what is still in its
    buffer can go somewhere when Python flushes it on the way out."""
    try:
        null = os.open(os.devnull, os.O_WRONLY)
        os.dup2(null, stream.fileno())
        os.close(null)
    except (OSError, ValueError, AttributeError):
        pass


def main() -> None:
    """Entry point of the ``tde`` script."""
    out, err = sys.stdout, sys.stderr  # None where the descriptor is closed
    sys.stdout = _Guarded(out, "stdout")
    sys.stderr = _Guarded(err, "stderr")
    try:
        try:
            app(prog_name="tde")
        finally:
            sys.stdout.flush()  # what is still buffered fails here, before the exit code is set
    except BrokenPipeError:  # output piped into `head` and the like
        sys.stderr.close()
        sys.exit(0)
    except KeyboardInterrupt:
        sys.exit(130)
    except OutputFailed as failed:
        sys.stdout, sys.stderr = out, err  # Python flushes them on the way out: no more guard
        _silence(out if failed.stream == "stdout" else err)
        _say(err, f"error: {failed}")
        sys.exit(EXIT_PROBLEMS)
    except Exception as bug:  # the last line of defence: see _internal_error
        if os.environ.get(DEBUG_ENV, "") not in ("", "0"):
            raise
        sys.stdout, sys.stderr = out, err
        _say(err, _internal_error(bug))
        sys.exit(EXIT_INTERNAL)


DEBUG_ENV = "TDE_DEBUG"
EXIT_INTERNAL = 70  # EX_SOFTWARE of sysexits.h: neither the project nor the command line is at fault


def _say(err: Any, line: str) -> None:
    """``line`` on stderr if it still works; otherwise the exit code is all that is left."""
    try:
        err.write(line + "\n")
        err.flush()
    except (OSError, AttributeError):
        _silence(err)


def _internal_error(bug: BaseException) -> str:
    """One line for a bug in tde itself.

    It names the exception's type and the place in tdekit that raised it, but neither its
    message nor a traceback: those can quote resident text, and error output is what people
    paste into bug reports. ``TDE_DEBUG=1`` lets the whole traceback through.
    """
    where = ""
    found = _innermost_own_frame(bug)
    if found:
        where = f" in {found[0]}, line {found[1]}"
    return (
        f"error: internal error: {type(bug).__name__}{where}. This is a bug in tde {__version__};"
        f" please report it with the command you ran ({DEBUG_ENV}=1 shows the traceback)."
    )


def _innermost_own_frame(bug: BaseException) -> tuple[str, int] | None:
    """(module, line) of the innermost frame of ``bug``'s traceback that runs tdekit's code.

    The module's name comes from the file's place inside the package's own folder, wherever
    that is: a source checkout (itself perhaps in a folder named tdekit), or site-packages.
    """
    import traceback

    import tdekit

    top = Path(tdekit.__file__).parent.parent  # the folder the package was imported from
    for frame in reversed(traceback.extract_tb(bug.__traceback__)):
        try:
            inside = Path(frame.filename).with_suffix("").relative_to(top)
        except ValueError:
            continue
        if inside.parts[:1] == ("tdekit",):
            return ".".join(inside.parts).removesuffix(".__init__"), frame.lineno or 0
    return None


for _commands in (records.app, find.app, check.app, scoring.app, circulate.app, report.app, tally.app, feedback.app):
    app.add_typer(_commands)
