"""A small adapter over the ``git`` command: is this a work tree, init one, a file's history."""

from __future__ import annotations

import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class Revision:
    """One commit that touched a file."""

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
    """Commits that touched ``path``, newest first, following renames; empty outside git."""
    sep = "\x1f"
    result = _git(
        ["log", "--follow", f"--format=%h{sep}%as{sep}%an{sep}%s", "--", path.name], path.parent
    )
    if result is None or result.returncode != 0:
        return []
    revisions = []
    for line in result.stdout.splitlines():
        parts = line.split(sep)
        if len(parts) == 4:
            revisions.append(Revision(*parts))
    return revisions
