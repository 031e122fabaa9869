"""Ids that name records, checked against the record folders (for ``tde new --set``).

``tde validate`` checks every reference across the loaded project. Writing one new record
should not load the project, and need not: an id equals its file's name (validate holds records
to that), so the folders say which ids exist and of what kind.
"""

from __future__ import annotations

import difflib
from pathlib import Path
from typing import Any

from tdekit.kinds import FOLDERS, SLUG_PATTERN

__all__ = ["reference_problems"]


def reference_problems(root: Path, where: str, target: str, value: Any) -> list[str]:
    """Why the ids in ``value`` (an id or a list of ids) do not name records of the ``target``
    kind in the project at ``root``, one message each, starting with ``where``.

    The words follow those of ``tde validate``, with a did-you-mean. Values that are not ids
    are left to the schema check, which reports them.
    """
    import re

    from tdekit.validate import KIND_NAMES

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
                f"{where}: '{ref}' is {KIND_NAMES[other]} ({FOLDERS[other]}/{ref}.md), "
                f"not {KIND_NAMES[target]}"
            )
            continue
        folded = {stem.casefold(): stem for stem in stems[target]}
        guess = [folded[ref]] if ref in folded else difflib.get_close_matches(ref, sorted(stems[target]), n=1)
        hint = f"; did you mean '{guess[0]}'?" if guess else (
            f"; there are no {FOLDERS[target]} yet ('tde new {target} TITLE' writes one)"
            if not stems[target] else ""
        )
        messages.append(
            f"{where}: '{ref}' is not {KIND_NAMES[target]} of this project "
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
