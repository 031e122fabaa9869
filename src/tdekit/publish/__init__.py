"""What a finished document goes through before anyone outside the team sees it.

:mod:`.bodies` turns one record body into safe Markdown tokens, :mod:`.mdwrite` writes such
tokens back as Markdown that stands on its own, :mod:`.reading` reads a finished document (HTML,
or Markdown as a CommonMark renderer with raw HTML on would show it), :mod:`.gate` holds that
reading to an allow-list and :mod:`.redact` looks in it for what consent withholds.
:func:`check_output` runs both checks; they refuse, they never repair.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from tdekit.records.record import Project


def check_output(project: Project, text: str, fmt: str) -> None:
    """Refuse (exit 1) a finished ``md`` or ``html`` document that is unsafe or holds a withheld value.

    Raises :class:`tdekit.publish.gate.UnsafeOutput` or
    :class:`tdekit.publish.redact.WithheldOutput`; nothing has been written or printed then.
    """
    from tdekit.publish import gate, reading, redact

    read = reading.read(text, fmt)
    gate.refuse_unsafe(read, own_templates=(project.root / "templates" / "render").is_dir())
    redact.refuse_withheld(project, read)
