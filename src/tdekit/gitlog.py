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


def _git(args: list[str], cwd: Path, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str] | None:
    if shutil.which("git") is None:
        return None
    try:
        return subprocess.run(
            ["git", *args], cwd=cwd, capture_output=True, text=True, timeout=30, check=False,
            encoding="utf-8", errors="replace", env=env,
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


def why_not_work_tree(folder: Path) -> str | None:
    """Why ``folder`` is not inside a git work tree (None when it is)."""
    if shutil.which("git") is None:
        return "git is not installed"
    if not inside_work_tree(folder):
        return f"{folder} is not inside a git work tree"
    return None


def git_lines(args: list[str], cwd: Path) -> list[str]:
    """The lines git prints for ``args`` in ``cwd``; empty when git fails."""
    result = _git(args, cwd)
    if result is None or result.returncode != 0:
        return []
    return [line for line in result.stdout.splitlines() if line]


#: How ``git status`` names a change, by its letter.
_CHANGES = {"M": "modified", "A": "added", "D": "deleted", "R": "renamed", "C": "copied",
            "T": "type changed", "U": "in conflict", "?": "not committed yet"}


def uncommitted(folder: Path) -> dict[str, str]:
    """Files under ``folder`` with changes not committed (staged or not, or untracked), by their
    path relative to ``folder``, with what the change is in words."""
    prefix = (_git(["rev-parse", "--show-prefix"], folder) or _failed()).stdout.strip()
    result = _git(["status", "--porcelain=v1", "-z", "--untracked-files=all", "--", "."], folder)
    if result is None or result.returncode != 0:
        return {}
    found: dict[str, str] = {}
    entries = iter(result.stdout.split("\0"))
    for entry in entries:
        if len(entry) < 4:
            continue
        code, path = entry[:2], entry[3:]
        if "R" in code or "C" in code:
            next(entries, None)  # the path it was renamed or copied from
        letter = next((c for c in code if c != " "), "?")
        if path.startswith(prefix):
            found[path[len(prefix):]] = _CHANGES.get(letter, "changed")
    return found


def _failed() -> subprocess.CompletedProcess[str]:
    return subprocess.CompletedProcess([], 1, "", "")


def _dated() -> dict[str, str] | None:
    """The environment for a commit or tag dated by ``SOURCE_DATE_EPOCH`` when it is set (as
    tde's own dates are: see tdekit.clock), so that a scripted run is reproducible."""
    import os

    epoch = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    if not epoch.isdigit():
        return None
    return {**os.environ, "GIT_AUTHOR_DATE": f"@{epoch} +0000", "GIT_COMMITTER_DATE": f"@{epoch} +0000"}


def commit_file(folder: Path, rel: str, message: str) -> str | None:
    """Commit the file ``rel`` alone (whatever else is staged); None on success, else why not."""
    result = _git(["commit", "--quiet", "--only", "-m", message, "--", rel], folder, _dated())
    if result is None:
        return "git is not installed"
    return None if result.returncode == 0 else (result.stderr.strip() or "git commit failed")


def tag(folder: Path, name: str, message: str) -> str | None:
    """An annotated tag ``name`` on HEAD; None on success, else why not."""
    result = _git(["tag", "--annotate", "-m", message, name], folder, _dated())
    if result is None:
        return "git is not installed"
    return None if result.returncode == 0 else (result.stderr.strip() or "git tag failed")


def show_tree(folder: Path, ref: str, target: Path) -> str | None:
    """Write the files under ``folder`` as they were at ``ref`` into ``target``; None on
    success, else why not. Read with ``git archive``, so nothing in the work tree changes."""
    import io
    import tarfile

    prefix = (_git(["rev-parse", "--show-prefix"], folder) or _failed()).stdout.strip()
    if shutil.which("git") is None:
        return "git is not installed"
    try:
        done = subprocess.run(
            ["git", "archive", "--format=tar", ref, "--", prefix or "."], cwd=folder,
            capture_output=True, timeout=60, check=False,
        )
    except (OSError, subprocess.TimeoutExpired) as err:
        return str(err)
    if done.returncode != 0:
        return done.stderr.decode("utf-8", "replace").strip() or "git archive failed"
    with tarfile.open(fileobj=io.BytesIO(done.stdout)) as archive:
        for member in archive.getmembers():
            if not (member.isfile() or member.isdir()) or not member.name.startswith(prefix):
                continue  # links and devices are not part of a project's records
            rel = member.name[len(prefix):]
            if not rel or ".." in Path(rel).parts or Path(rel).is_absolute():
                continue
            place = target / rel
            if member.isdir():
                place.mkdir(parents=True, exist_ok=True)
                continue
            place.parent.mkdir(parents=True, exist_ok=True)
            extracted = archive.extractfile(member)
            if extracted is not None:
                place.write_bytes(extracted.read())
    return None


_ROUND = re.compile(r"^round-([1-9][0-9]{0,5})$")


def round_tag(plan_id: str, number: int) -> str:
    """The tag of a plan's circulation round: ``tde/<plan-id>/round-<n>``."""
    return f"tde/{plan_id}/round-{number}"


def plan_rounds(folder: Path, plan_id: str) -> dict[int, str]:
    """The circulation rounds tagged for ``plan_id``: number to the tag's date, in order."""
    prefix = f"tde/{plan_id}/"
    listed = git_lines(
        ["for-each-ref", "--format=%(refname:strip=2)%00%(creatordate:short)", f"refs/tags/{prefix}"], folder
    )
    found: dict[int, str] = {}
    for line in listed:
        name, _, date = line.partition("\0")
        match = _ROUND.match(name.removeprefix(prefix))
        if name.startswith(prefix) and match:
            found[int(match.group(1))] = date if _DATE.match(date) else ""
    return dict(sorted(found.items()))


def unchanged_in_work_tree(folder: Path, ref: str, rel: str) -> bool:
    """True when the file ``rel`` (relative to ``folder``) in the work tree is as it was at ``ref``."""
    result = _git(["diff", "--quiet", ref, "--", rel], folder)
    return result is not None and result.returncode == 0
