"""Everything tdekit prints: tables for people, JSON and CSV for scripts, problem lines.

Results go to stdout, diagnostics to stderr. Colour follows the terminal and ``NO_COLOR``
(rich handles both). Only this module and the CLI import rich, and output that no terminal
will see does not load it: long tables are laid out here as text, styled piece by piece.
"""

from __future__ import annotations

import datetime as dt
import json
import math
import os
import re
import sys
from collections.abc import Collection, Iterable, Mapping, Sequence
from functools import cache
from typing import TYPE_CHECKING, Any

from tdekit.problems import Problem
from tdekit.text import terminal_safe

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
    return _isatty(stream)


def _isatty(stream: Any) -> bool:
    isatty = getattr(stream, "isatty", None)
    try:
        return bool(isatty and isatty())
    except ValueError:  # closed
        return False


def styled(text: str, style: str) -> str:
    """``text`` in a rich ``style`` the way stdout shows it: plain unless it takes colour.

    For tables drawn as text, which stay quick for thousands of rows: style each distinct
    piece once, then join strings. Output that no terminal will see does not load rich.
    """
    if not (os.environ.get("FORCE_COLOR") or os.environ.get("TTY_COMPATIBLE") or _isatty(sys.stdout)):
        return text
    return _styled(stdout(), text, style)


@cache
def _styled(console: Console, text: str, style: str) -> str:
    from rich.text import Text

    with console.capture() as captured:
        console.print(Text(text, style=style), end="", soft_wrap=True)
    return captured.get()


def width() -> int:
    """The width of stdout as rich measures it: ``COLUMNS``, else the terminal's, else 80."""
    columns = os.environ.get("COLUMNS", "")
    if columns.isdigit() and int(columns) > 0:
        return int(columns)
    for descriptor in (0, 1, 2):  # a pipe to a pager still has the terminal on stdin or stderr
        try:
            return os.get_terminal_size(descriptor).columns or 80
        except (OSError, ValueError):
            continue
    return 80


def write(text: str) -> None:
    """Text already laid out (and styled with :func:`styled`) to stdout, as it is."""
    sys.stdout.write(text)


def paragraphs(texts: Iterable[str]) -> None:
    """Each text on stdout as a paragraph wrapped to its width, words kept whole, made :func:`safe`."""
    import textwrap

    size = width()
    write("".join(
        textwrap.fill(safe(text), size, break_long_words=False, break_on_hyphens=False) + "\n"
        for text in texts
    ))


def safe(text: str) -> str:
    """Record text made safe to show in a terminal, one line of it (:func:`tdekit.text.terminal_safe`)."""
    return terminal_safe(text)


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


def _plain(value: Any) -> Any:
    """JSON for what the encoder does not know: dates as ISO text."""
    if isinstance(value, dt.date):  # datetimes too
        return value.isoformat()
    raise TypeError(f"Object of type {type(value).__name__} is not JSON serializable")


def json_text(value: Any, *, lines: bool = False) -> str:
    """``value`` as JSON text: indented, or with ``lines`` a list written one item per line.

    One item per line is what a script or ``grep`` wants from a long list, and Python's C
    encoder writes it (indenting goes through the pure-Python one, several times slower).
    """
    try:
        return _encode(value, lines)
    except ValueError:  # NaN or infinity, which JSON cannot hold: written as their YAML text
        return _encode(to_jsonable(value), lines)


def _encode(value: Any, lines: bool) -> str:
    if lines and isinstance(value, list):
        if not value:
            return "[]"
        encode = json.JSONEncoder(ensure_ascii=False, allow_nan=False, default=_plain).encode
        return "[\n" + ",\n".join(map(encode, value)) + "\n]"
    return json.dumps(value, indent=2, ensure_ascii=False, allow_nan=False, default=_plain)


def print_json(value: Any) -> None:
    """Write ``value`` as JSON to stdout.

    A list (of records, problems, use cases) goes one item per line unless stdout is a
    terminal, where it is indented for reading; anything else, such as a schema, is indented.
    """
    sys.stdout.write(json_text(value, lines=not _isatty(sys.stdout)) + "\n")


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
    """A table in the house style; columns are names or (name, rich column options).

    The title is text as typed (a project's name): markup in it stays literal.
    """
    from rich import box
    from rich.table import Table

    result = Table(title=None if title is None else escape(title), box=box.SIMPLE_HEAD, title_justify="left", pad_edge=False)
    for column in columns:
        if isinstance(column, tuple):
            result.add_column(column[0], **column[1])
        else:
            result.add_column(column)
    return result


def print_table(
    headers: Sequence[str],
    rows: Sequence[Sequence[str]],
    *,
    whole: Collection[int] = (),
    floors: Mapping[int, int] | None = None,
) -> None:
    """An aligned table of text on stdout: a bold header, a rule, the rows; fitted to its width.

    Cells are shown as typed, made :func:`safe` for the terminal. The columns in ``whole`` keep each cell on one line; the others
    wrap at spaces (folding a word too long for them), the widest giving way first, but not
    below its width in ``floors`` while another can still give way. Drawn as text rather than
    as a rich table, which takes about a millisecond a row.
    """
    count = len(headers)
    headers = [safe(cell) for cell in headers]
    rows = [[safe(cell) for cell in row] for row in rows]
    sizes = [[cells(cell) for cell in row] for row in rows]
    natural = [max([cells(headers[i]), *(size[i] for size in sizes)]) for i in range(count)]
    wraps = [i not in whole for i in range(count)]
    widths = _fit(natural, wraps, width() - TABLE_GAP * (count - 1), floors or {})
    lines = [styled(line, "bold") for line in _layout(headers, list(map(cells, headers)), widths, wraps)]
    lines.append("─" * min(width(), sum(widths) + TABLE_GAP * (count - 1)))
    for row, size in zip(rows, sizes, strict=True):
        lines.extend(_layout(row, size, widths, wraps))
    write("\n".join(lines) + "\n")


#: Spaces between the columns of :func:`print_table`.
TABLE_GAP = 2
#: The narrowest :func:`print_table` squeezes a column that wraps.
NARROWEST = 4


def _fit(natural: list[int], wraps: list[bool], room: int, floors: Mapping[int, int]) -> list[int]:
    """Column widths within ``room``: the widest wrapping column gives way first, down to its
    floor; when the floors leave too little room, down to :data:`NARROWEST`."""
    widths = list(natural)
    for least in ({i: max(NARROWEST, floors.get(i, NARROWEST)) for i in range(len(widths))}, {}):
        while sum(widths) > room:
            shrinkable = [i for i, w in enumerate(widths) if wraps[i] and w > least.get(i, NARROWEST)]
            if not shrinkable:
                break
            widest = max(widths[i] for i in shrinkable)
            ties = [i for i in shrinkable if widths[i] == widest]
            others = max((widths[i] for i in shrinkable if widths[i] < widest), default=NARROWEST)
            # lower the widest columns together, to the next width down or as far as needed
            step = max(1, min(widest - others, -(-(sum(widths) - room) // len(ties))))
            for i in ties:
                widths[i] = max(least.get(i, NARROWEST), widest - step)
    return widths


def _layout(row: Sequence[str], sizes: list[int], widths: list[int], wraps: list[bool]) -> list[str]:
    """The lines of one row (``sizes`` are its cells' widths): cells wrapped where they may."""
    if not any(wrap and size > width for size, width, wrap in zip(sizes, widths, wraps, strict=True)):
        pads = [width - size + TABLE_GAP for size, width in zip(sizes, widths, strict=True)]
        return ["".join([cell + " " * pad for cell, pad in zip(row, pads, strict=True)]).rstrip()]
    parts = [_wrap(cell, widths[i]) if wraps[i] else [cell] for i, cell in enumerate(row)]
    lines = []
    for n in range(max(map(len, parts))):
        pieces = [part[n] if n < len(part) else "" for part in parts]
        lines.append("".join(
            [text + " " * (widths[i] - cells(text) + TABLE_GAP) for i, text in enumerate(pieces)]
        ).rstrip())
    return lines


#: Text made only of these takes one terminal cell a character: Latin, Greek and Cyrillic
#: letters, and common punctuation (no combining marks, no wide characters).
_ONE_CELL_EACH = re.compile(
    r"[\x20-\x7e\xa0-\u02ff\u0370-\u0482\u048a-\u052f\u1e00-\u1fff\u2010-\u2027\u2030-\u205e\u20a0-\u20c0]*"
)


def cells(text: str) -> int:
    """How many terminal cells ``text`` takes: wide East Asian characters two, marks none."""
    if text.isascii() or _ONE_CELL_EACH.fullmatch(text):
        return len(text)
    import unicodedata

    return sum(
        0 if unicodedata.combining(c) or c in "\u200b\u200d\ufe0f"
        else 2 if unicodedata.east_asian_width(c) in "WF" else 1
        for c in text
    )


def _wrap(text: str, size: int) -> list[str]:
    """``text`` in lines of at most ``size`` cells, broken at spaces, long words folded."""
    if cells(text) != len(text):  # wide characters or marks: let rich measure
        from rich.text import Text

        return [line.plain.rstrip() for line in Text(text).wrap(stdout(), size, overflow="fold")]
    lines: list[str] = []
    line = ""
    for word in text.split():
        if line and len(line) + 1 + len(word) <= size:
            line += " " + word
            continue
        if line:
            lines.append(line)
        while len(word) > size:  # a word wider than the column is folded
            lines.append(word[:size])
            word = word[size:]
        line = word
    return [*lines, line] if line or not lines else lines


def escape(text: object) -> str:
    """Text shown in a table as typed: rich markup in it stays literal, controls made :func:`safe`."""
    from rich.markup import escape as rich_escape

    return rich_escape(safe(str(text)))


def show(renderable: Any) -> None:
    """A rich renderable (a table, marked-up text) on stdout, without the spaces rich pads its
    lines with to the terminal's width: piped or pasted, a line ends where its text does."""
    console = stdout()
    with console.capture() as captured:
        console.print(renderable)
    write("".join(line.rstrip(" ") + "\n" for line in captured.get().splitlines()))
