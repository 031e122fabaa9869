"""The small-count rule of Step 1's outputs, with no imports so that any layer can say it."""

from __future__ import annotations

#: Below this, outputs say "fewer than 5" instead of the count: a small count can point at a
#: person. Records keep the exact number.
SMALL = 5


def shown(count: int) -> str:
    """A count as outputs show it: ``fewer than 5`` below :data:`SMALL`."""
    return f"fewer than {SMALL}" if 0 < count < SMALL else str(count)


def shown_plural(count: int, word: str, many: str | None = None) -> str:
    """``fewer than 5 rows`` below :data:`SMALL`, else ``12 rows`` (``many`` where the plural is
    not ``word`` + s)."""
    words = many or word + "s"
    if 0 < count < SMALL:
        return f"fewer than {SMALL} {words}"
    return f"{count} {word if count == 1 else words}"
