"""``--set FIELD=VALUE`` of ``tde new``: reading it, and saying in its words what the core refused.

The core writes values (:func:`tdekit.scaffold.write_record`) and reports what it cannot write
as errors that carry data; this module turns the option's text into values and those errors
into messages that name the option.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from tdekit.errors import UsageError
from tdekit.text import LINE_UNSAFE, closest

if TYPE_CHECKING:
    from tdekit.records.writing import FieldError, FieldPath

#: What a field name given to --set looks like, part by part.
_NAME = re.compile(r"[a-z_][a-z0-9_]*")


def parse_sets(sets: list[str]) -> dict[FieldPath, object]:
    """``--set`` options as values by field path; each value as the person typed it where that
    reads back as itself, else as text (so ``Tenants #1`` and ``a: b`` stay whole)."""
    values: dict[FieldPath, object] = {}
    for assignment in sets:
        path, text = _split(assignment)
        values[path] = _value(".".join(path), text)
    return values


def _split(assignment: str) -> tuple[tuple[str, ...], str]:
    name, sep, value = assignment.partition("=")
    name = name.strip()
    if not sep or not name:
        raise UsageError(f"--set takes FIELD=VALUE, not {assignment!r}")
    path = tuple(name.split("."))
    if not all(_NAME.fullmatch(part) for part in path):
        raise UsageError(f"--set: {name!r} is not a field name")
    if path[0] in ("id", "title"):
        raise UsageError(f"--set cannot change {path[0]}; use the TITLE argument and --id")
    if LINE_UNSAFE.search(value):
        raise UsageError(f"--set {name}: the value contains a line break or control character")
    return path, value.strip()


def _value(name: str, value: str) -> object:
    """``value`` as YAML text to write as it is, or as text when YAML would read it otherwise.

    A broken list or mapping and an impossible date are refused.
    """
    from tdekit.records.frontmatter import read_yaml
    from tdekit.records.writing import YamlText

    probe = read_yaml(f"v: {value}\n".encode(), "--set")
    errors = [p for p in probe.problems if p.severity == "error"]
    if value.lstrip().startswith(("[", "{")) and errors:
        message = errors[0].message.removeprefix("YAML syntax error: ").split("; hint:")[0]
        raise UsageError(f"--set {name}: {value} is not a valid YAML list or mapping ({message})")
    if any(p.code == "invalid-date" for p in errors):
        raise UsageError(f"--set {name}: {value.strip()} is not a real date")
    if probe.data is None or probe.problems:
        return value
    parsed = probe.data.get("v")
    quoted = value.startswith(("'", '"'))  # a quoted YAML string: its quotes are not text
    if (isinstance(parsed, str) and parsed != value and not quoted) or (
        parsed is None and value not in ("", "null", "Null", "NULL", "~")
    ):
        return value
    return YamlText(value)


def field_error(err: FieldError, typed: object) -> str:
    """What ``tde new`` says when a --set value cannot be written into the template."""
    from tdekit.records.writing import FieldError, dotted

    name, parent, last = dotted(err.path), dotted(err.path[:-1]), str(err.path[-1])
    if err.problem == FieldError.BLOCK:
        return f"--set {name}: the template holds a block there; edit the file instead"
    if err.problem == FieldError.NO_PARENT:
        return f"--set {name}: the template has no field {parent}"
    if err.problem == FieldError.FLOW_PARENT:
        return (
            f"--set {name}: {parent} is written on one line in the template; "
            f"set it whole, e.g. --set '{parent}={{{last}: ...}}'"
        )
    if err.problem == FieldError.NO_FIELD:
        guess = closest(last, err.known)
        hint = f"did you mean '{guess}'?" if guess else f"known fields there: {', '.join(err.known)}"
        return f"--set {name}: the template has no field '{last}' in {parent}; {hint}"
    return f"--set {name}: {str(typed)!r} cannot be written there; edit the file instead"
