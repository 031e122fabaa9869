"""What a finished document goes through before anyone outside the team sees it.

:mod:`.bodies` turns one record body into safe Markdown tokens, :mod:`.mdwrite` writes such
tokens back as Markdown that stands on its own, :mod:`.reading` reads a finished document (HTML,
or Markdown as a CommonMark renderer with raw HTML on would show it), :mod:`.gate` holds that
reading to an allow-list and :mod:`.redact` looks in it for what consent withholds.
:func:`check_output` runs both checks; they refuse, they never repair.

Before that, :mod:`.choice` finds the plan and refuses one drawn from files with errors,
:mod:`.building` (with :mod:`.scored`) builds its view (:mod:`.views`), applying consent as
:mod:`.consent` says, and :mod:`.formats` fills a format's template with it and runs the checks
on every document. :func:`check_target` keeps ``-o`` out of the project's own folders.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from tdekit import fsio
from tdekit.records.kinds import FOLDERS, SETTINGS_FILE

if TYPE_CHECKING:
    from tdekit.records.record import Project

#: Folders of a project that ``-o`` never writes into, and what each holds (for the refusal).
PROTECTED_FOLDERS: dict[str, str] = {
    **dict.fromkeys(FOLDERS.values(), "records"),
    "templates": "the project's own templates",
    ".git": "the git repository",
    fsio.LOCK_DIR: "tde's cache",
}
#: Files of a project that ``-o`` never replaces.
PROTECTED_FILES: dict[str, str] = {SETTINGS_FILE: "the project's settings file"}


def check_target(root: Path, out: Path, what: str = "the plan") -> None:
    """Refuse (exit 1) ``-o`` into ``tde.yaml``, a record or template folder, ``.git`` or the cache."""
    fsio.check_output(root, out, files=PROTECTED_FILES, folders=PROTECTED_FOLDERS, what=what)


def check_output(project: Project, text: str, fmt: str, document: str = "plan") -> None:
    """Refuse (exit 1) a finished ``md`` or ``html`` document that is unsafe or holds a withheld value.

    Raises :class:`tdekit.publish.gate.UnsafeOutput` or
    :class:`tdekit.publish.redact.WithheldOutput`; nothing has been written or printed then.
    """
    from tdekit.publish import gate, reading, redact

    read = reading.read(text, fmt)
    own = (project.root / "templates" / "render").is_dir()
    # A plan's HTML links to its translations, rendered beside it as <plan-id>.html.
    siblings = frozenset(f"{plan.id}.html" for plan in project.of_kind("plan"))
    gate.refuse_unsafe(read, own_templates=own, document=document, siblings=siblings)
    redact.refuse_withheld(project, read, document)
