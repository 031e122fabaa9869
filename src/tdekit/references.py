"""What values given to a new record (``tde new --set``) would add of their own, and the ids
among them that name no record, checked against the record folders.

``tde validate`` checks every reference across the loaded project. Writing one new record
should not load the project, and need not: an id equals its file's name (validate holds records
to that), so the folders say which ids exist and of what kind.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from tdekit.errors import UsageError
from tdekit.problems import Problem
from tdekit.records.kinds import FOLDERS, KINDS, REFERENCES, SLUG_PATTERN
from tdekit.records.writing import FieldPath
from tdekit.text import closest

__all__ = ["FieldProblems", "field_problems", "missing_references"]


class FieldProblems(UsageError):
    """Values given for a new record that make problems of their own: ``problems`` (as the
    record's check reports them), ``lists`` (the fields given one value where a list belongs)
    and ``references`` (field, why an id given there names no record of the right kind)."""

    def __init__(
        self,
        problems: list[Problem],
        *,
        lists: Sequence[tuple[str, ...]] = (),
        references: Sequence[tuple[str, str]] = (),
    ) -> None:
        said = [p.message for p in problems]
        said += [f"{'.'.join(path)} must be a list" for path in lists]
        said += [f"{field}: {message}" for field, message in references]
        super().__init__("; ".join(said))
        self.problems = problems
        self.lists = tuple(lists)
        self.references = tuple(references)


def field_problems(root: Path, kind: str, values: Mapping[FieldPath, object], raw: bytes, template: bytes,
                    name: str) -> FieldProblems | None:
    """What ``values`` written into the template would add of their own, or None.

    The template leaves required fields empty for the person to fill in; what ``values`` must
    not do is add a problem of its own: a wrong type, an unknown value or field, a single value
    where a list belongs, or an id that names no record of the right kind (which ``tde
    validate`` would refuse next).
    """
    from tdekit.records.frontmatter import read_document
    from tdekit.records.schema import check_record, expects_list

    before, after = read_document(template, name), read_document(raw, name)
    check_record(before, kind)
    check_record(after, kind)
    expected = {(p.code, p.message) for p in before.problems if p.severity == "error"}
    wrong = [p for p in after.problems if p.severity == "error" and (p.code, p.message) not in expected]
    data = after.data or {}
    paths = [tuple(str(part) for part in path) for path in values]
    lists = [
        path for path in paths
        if expects_list(kind, path) and not isinstance(_lookup(data, path), list) and path in after.value_spans
    ]
    lines = {after.value_spans[path].line for path in lists}
    wrong = [p for p in wrong if p.line not in lines]  # a list written as one value: said once
    references = [
        (path[0], message)
        for path in paths
        if len(path) == 1 and (target := REFERENCES.get((kind, path[0]))) is not None
        for message in missing_references(root, target, _lookup(data, path))
    ]
    if wrong or lists or references:
        return FieldProblems(wrong, lists=lists, references=references)
    return None


def _lookup(data: Any, path: tuple[str, ...]) -> Any:
    for part in path:
        data = data.get(part) if isinstance(data, dict) else None
    return data


def missing_references(root: Path, target: str, value: Any) -> list[str]:
    """Why the ids in ``value`` (an id or a list of ids) do not name records of the ``target``
    kind in the project at ``root``, one message each; the caller says where they were given.

    The words follow those of ``tde validate``, with a did-you-mean. Values that are not ids
    are left to the schema check, which reports them.
    """
    import re

    slug = re.compile(SLUG_PATTERN)
    ids = [value] if isinstance(value, str) else value if isinstance(value, list) else []
    stems = {kind: _stems(root / folder) for kind, folder in FOLDERS.items()}
    messages = []
    for ref in ids:
        if not isinstance(ref, str) or not slug.match(ref) or ref in stems[target]:
            continue
        other = next((kind for kind, names in stems.items() if ref in names), None)
        if other is not None:
            messages.append(
                f"'{ref}' is {KINDS[other].named} ({FOLDERS[other]}/{ref}.md), "
                f"not {KINDS[target].named}"
            )
            continue
        guess = closest(ref, sorted(stems[target]), fold=True)
        hint = f"; did you mean '{guess}'?" if guess else (
            f"; there are no {FOLDERS[target]} yet ('tde new {target} TITLE' writes one)"
            if not stems[target] else ""
        )
        messages.append(
            f"'{ref}' is not {KINDS[target].named} of this project "
            f"(no {FOLDERS[target]}/{ref}.md){hint}"
        )
    return messages


def _stems(folder: Path) -> set[str]:
    """The names, without ``.md``, of the record files in ``folder``."""
    try:
        names = [entry.name for entry in folder.iterdir()]
    except OSError:
        return set()
    return {name[:-3] for name in names if name.endswith(".md") and not name.startswith(".")}
