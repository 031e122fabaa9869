"""Everything tdekit prints: rich tables for people, JSON and CSV for scripts, problem lines.

Results go to stdout, diagnostics to stderr. Colour follows the terminal and ``NO_COLOR``
(rich handles both). Only this module and the CLI import rich.
"""

from __future__ import annotations

import datetime as dt
import json
import math
import os
import sys
from collections.abc import Iterable, Sequence
from functools import cache
from typing import TYPE_CHECKING, Any

from tdekit.problems import Problem

if TYPE_CHECKING:
    from rich.console import Console
    from rich.table import Table


@cache
def stdout() -> Console:
    from rich.console import Console

    return Console(highlight=False, soft_wrap=False)


@cache
def stderr() -> Console:
    from rich.console import Console

    return Console(stderr=True, highlight=False)


def _colour(stream: Any) -> bool:
    if os.environ.get("NO_COLOR"):
        return False
    if os.environ.get("FORCE_COLOR"):
        return True
    isatty = getattr(stream, "isatty", None)
    return bool(isatty and isatty())


def to_jsonable(value: Any) -> Any:
    """Plain values for JSON: dates as ISO text, tuples as lists."""
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    if isinstance(value, float) and not math.isfinite(value):  # JSON has no NaN or Infinity
        return {"nan": ".nan", "inf": ".inf", "-inf": "-.inf"}[str(value)]
    if isinstance(value, dict):
        return {str(k): to_jsonable(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [to_jsonable(v) for v in value]
    return value


def print_json(value: Any) -> None:
    """Write ``value`` as indented JSON to stdout."""
    sys.stdout.write(json.dumps(to_jsonable(value), indent=2, ensure_ascii=False) + "\n")


def print_csv(header: Sequence[str], rows: Iterable[Sequence[Any]]) -> None:
    import csv

    writer = csv.writer(sys.stdout, lineterminator="\n")
    writer.writerow(header)
    for row in rows:
        writer.writerow([to_jsonable(cell) for cell in row])


def info(message: str) -> None:
    """A note for the person at the terminal, on stderr."""
    sys.stderr.write(message + "\n")


def error(message: str) -> None:
    """An error message on stderr, marked so it stands out."""
    prefix = "\x1b[31merror:\x1b[0m " if _colour(sys.stderr) else "error: "
    sys.stderr.write(prefix + message + "\n")


def print_problems(problems: Sequence[Problem], *, stream: Any = None) -> None:
    """One line per problem, ``path:line:col: severity: message [code]``."""
    stream = stream or sys.stdout
    colour = _colour(stream)
    for problem in problems:
        line = problem.format()
        if colour:
            tint = "31" if problem.severity == "error" else "33"
            line = line.replace(f": {problem.severity}: ", f": \x1b[{tint}m{problem.severity}\x1b[0m: ", 1)
        stream.write(line + "\n")


def table(title: str | None, columns: Sequence[str | tuple[str, dict[str, Any]]]) -> Table:
    """A table in the house style; columns are names or (name, rich column options)."""
    from rich import box
    from rich.table import Table

    result = Table(title=title, box=box.SIMPLE_HEAD, title_justify="left", pad_edge=False)
    for column in columns:
        if isinstance(column, tuple):
            result.add_column(column[0], **column[1])
        else:
            result.add_column(column)
    return result


def escape(text: object) -> str:
    """Text shown in a table as typed: rich markup in it stays literal."""
    from rich.markup import escape as rich_escape

    return rich_escape(str(text))


def show(renderable: Any) -> None:
    stdout().print(renderable)
