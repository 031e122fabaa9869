"""A small adapter over the ``git`` command: is this a work tree, init one, a file's history."""

from __future__ import annotations

import re
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

from tdekit.text import terminal_safe

#: What ``git log`` prints for one commit: every field ends in NUL, which no field can hold.
_FIELDS = 4
_HASH = re.compile(r"^[0-9a-f]{4,64}$")
_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


@dataclass(frozen=True)
class Revision:
    """One commit that touched a file; ``author`` and ``subject`` are safe to show on a terminal."""

    commit: str
    date: str
    author: str
    subject: str


def _git(args: list[str], cwd: Path) -> subprocess.CompletedProcess[str] | None:
    if shutil.which("git") is None:
        return None
    try:
        return subprocess.run(
            ["git", *args], cwd=cwd, capture_output=True, text=True, timeout=30, check=False,
            encoding="utf-8", errors="replace",
        )
    except (OSError, subprocess.TimeoutExpired):
        return None


def inside_work_tree(folder: Path) -> bool:
    """True when ``folder`` is inside a git work tree."""
    result = _git(["rev-parse", "--is-inside-work-tree"], folder)
    return result is not None and result.returncode == 0 and result.stdout.strip() == "true"


def init(folder: Path) -> str | None:
    """Run ``git init`` in ``folder``; None on success, else what went wrong."""
    result = _git(["init", "--quiet"], folder)
    if result is None:
        return "git is not installed"
    if result.returncode != 0:
        return result.stderr.strip() or "git init failed"
    return None


def history(path: Path) -> list[Revision]:
    """Commits that touched ``path``, newest first, following renames; empty outside git.

    Fields are read NUL-separated (``-z``), so no character of a subject or a name can split or
    hide a commit. Control characters and bidi overrides in subjects and names are shown as
    their escapes (``\\x1b``), as :func:`tdekit.text.terminal_safe` shows record text, so that no
    escape sequence reaches a terminal.
    """
    result = _git(
        ["log", "--follow", "-z", "--format=%h%x00%as%x00%an%x00%s", "--", path.name], path.parent
    )
    if result is None or result.returncode != 0:
        return []
    fields = result.stdout.split("\0")
    revisions = []
    for start in range(0, len(fields) - _FIELDS + 1, _FIELDS):
        commit, date, author, subject = fields[start : start + _FIELDS]
        if _HASH.match(commit) and _DATE.match(date):
            revisions.append(Revision(commit, date, terminal_safe(author), terminal_safe(subject)))
    return revisions


def last_changed(path: Path) -> int | None:
    """When ``path`` was last committed (seconds since the epoch, the committer's time), or None
    outside git or for a file never committed."""
    result = _git(["log", "-1", "--format=%ct", "--", path.name], path.parent)
    if result is None or result.returncode != 0 or not result.stdout.strip().isdigit():
        return None
    return int(result.stdout.strip())
