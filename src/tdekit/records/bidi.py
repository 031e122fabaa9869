"""Invisible bidi controls in a record or ``tde.yaml``: where they are an error (``bidi-control``).

A plan is read by residents and council staff who never see the files, so what it shows must
read as it was written. The characters are defined in :mod:`tdekit.text`; the rules are:

* A control that **reorders** text (U+202A-U+202E, U+2066-U+2069) is an error wherever it is:
  in a value, a field name, a comment or the body. U+202E shows what follows it backwards, and
  any of them left open carries on into the text after it, in another field of the rendered
  plan, in a terminal, in ``git diff``. Mixed-direction writing displays correctly without
  them in tde's output; where a neutral sign lands on the wrong side, a mark places it.
* A **mark** (U+200E, U+200F, U+061C) is an error in a value that is not free text (an id, a
  reference, a choice such as ``status`` or ``consent``, a date, a field or criterion name):
  there it only makes the value differ from the one it looks like. In free text (titles,
  names, notes, the body) marks are what writers of Arabic, Hebrew or Persian use to place
  brackets and full stops, so they are allowed there, and kept in the output.

Each problem points at the character (file, line and column); a value, a comment line or a
body line is reported once, for its first such character. A value with an error here is left
out of the model's own checks, so it is not reported twice.
"""

from __future__ import annotations

import types
import typing
from collections.abc import Callable, Iterable, Iterator
from typing import TYPE_CHECKING, Any

from tdekit.problems import Problem
from tdekit.text import BIDI, REORDERING, describe, has_bidi

if TYPE_CHECKING:
    from tdekit.records.document import Document, Path_, Span

CODE = "bidi-control"
_REMOVE = "; remove it"


def check(doc: Document, prose: Callable[[Path_], bool]) -> None:
    """Add a ``bidi-control`` problem to ``doc`` wherever a bidi control may not be.

    ``prose(path)`` says whether the value at ``path`` is free text. ``doc`` must still hold its
    text (as it does while it is read).
    """
    text = doc.text
    if not has_bidi(text) and "\\u" not in text and "\\U" not in text:
        return  # neither the characters nor a YAML escape that could make one
    lines = text.split("\n")
    scalars: list[Span] = []
    for path, value, is_key in _strings(doc.data, ()):
        span = (doc.key_spans if is_key else doc.value_spans).get(path)
        if span is not None:
            scalars.append(span)
        found = BIDI.search(value)
        if found is None:
            continue
        machine = is_key or not prose(path)
        bad = found.group() if machine else _first_reordering(value)
        if bad is None:
            continue
        line, column = _locate(lines, span, bad) if span is not None else doc.where(path, key=is_key)
        name = "".join(f"[{p}]" if isinstance(p, int) else f".{p}" for p in path).lstrip(".")
        if machine:
            message = (f"{'the field name' if is_key else name} holds the invisible character "
                       f"{describe(bad)}, so it is not the name, id or choice it looks like")
        else:
            message = f"{name} holds {_reorders(bad)}"
        doc.problems.append(Problem(doc.path, line, column, "error", CODE, message + _REMOVE))
        doc.bad_paths.add(path)
    _check_lines(doc, lines, scalars)


def _strings(data: Any, path: Path_) -> Iterator[tuple[Path_, str, bool]]:
    """(path, text, is a key) of every field name and text value in ``data``."""
    if isinstance(data, dict):
        for key, value in data.items():
            child = (*path, key)
            yield child, str(key), True
            yield from _strings(value, child)
    elif isinstance(data, list):
        for index, item in enumerate(data):
            yield from _strings(item, (*path, index))
    elif isinstance(data, str):
        yield path, data, False


def _first_reordering(text: str) -> str | None:
    found = REORDERING.search(text)
    return found.group() if found else None


def _reorders(char: str) -> str:
    return (f"the invisible control {describe(char)}, which makes the text around it "
            "display in another order than it is written in")


def _locate(lines: list[str], span: Span, char: str) -> tuple[int, int]:
    """Where ``char`` sits in the value at ``span``, or the value's start when it was an escape."""
    for number in range(span.line, span.end_line + 1):
        line = lines[number - 1] if number <= len(lines) else ""
        start = span.column - 1 if number == span.line else 0
        end = span.end_column - 1 if number == span.end_line else len(line)
        at = line.find(char, start, end)
        if at >= 0:
            return number, at + 1
    return span.line, span.column


def _check_lines(doc: Document, lines: list[str], scalars: list[Span]) -> None:
    """Report reordering controls outside any value or field name: in comments and the body."""
    first_body = doc.body_line if doc.body or doc.body_line > 1 else len(lines) + 1
    for number, line in enumerate(lines, start=1):
        for found in REORDERING.finditer(line):
            column = found.start() + 1
            if number < first_body and any(_inside(span, number, column) for span in scalars):
                continue  # a value's or name's: reported above
            where = "the text" if number >= first_body else "a comment"
            doc.problems.append(Problem(doc.path, number, column, "error", CODE,
                                        f"{where} holds {_reorders(found.group())}{_REMOVE}"))
            break


def _inside(span: Span, line: int, column: int) -> bool:
    return (span.line, span.column) <= (line, column) < (span.end_line, span.end_column)


# --- which values are free text -----------------------------------------------------------------

#: The pattern of the models' ``Text``: free text, as opposed to ids, choices and names.
_TEXT_PATTERN = r"\S"


def is_text(annotation: Any, metadata: Iterable[Any] = ()) -> bool:
    """True when ``annotation`` (with ``metadata``) is, or may be, the models' ``Text``."""
    if any(getattr(item, "pattern", None) == _TEXT_PATTERN for item in metadata):
        return True
    origin = typing.get_origin(annotation)
    if origin is typing.Annotated:
        base, *extras = typing.get_args(annotation)
        return is_text(base, [m for extra in extras for m in getattr(extra, "metadata", [extra])])
    if origin in (typing.Union, types.UnionType):
        return any(is_text(arm) for arm in typing.get_args(annotation))
    return False
