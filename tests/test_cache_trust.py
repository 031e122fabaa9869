"""A cache is believed only when this user's tde wrote it: one made elsewhere changes nothing.

The cache is signed with a key kept in the user's cache folder (``$XDG_CACHE_HOME/tdekit/``),
never in the project; conftest points that folder into each test's own temporary folder.
"""

from __future__ import annotations

import os
import shutil
import stat
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from conftest import Run
from tdekit.fsio import LOCK_DIR
from tdekit.records.cache import CACHE_FILE, RecordCache
from tdekit.records.cachekey import KEY_BYTES, KEY_FILE
from test_cache import counted_reads

PROJECT = Path(__file__).resolve().parent / "fixtures" / "render" / "project"
PRIVATE = "interviews/drivers-union-steward.md"
MARKER = "PRIVATE-NAME-MARKER"
RECORDS = len(list(PROJECT.glob("*/*.md")))


@pytest.fixture
def project(tmp_path: Path) -> Path:
    root = tmp_path / "project"
    shutil.copytree(PROJECT, root)
    shutil.rmtree(root / LOCK_DIR, ignore_errors=True)
    return root


def user_folder() -> Path:
    return Path(os.environ["XDG_CACHE_HOME"]) / "tdekit"


def forge(root: Path, change: Callable[[tuple[Any, ...]], tuple[Any, ...]]) -> None:
    """Rewrite the project's cache with ``change`` applied to the private interview's entry,
    as tde itself would write it (for whoever runs this)."""
    forged = RecordCache(root, (root / "tde.yaml").read_bytes())
    assert forged.enabled and PRIVATE in forged._old
    forged._new = dict(forged._old)
    forged._new[PRIVATE] = change(forged._old[PRIVATE])
    forged._dirty = True
    forged.save()


def made_public(entry: tuple[Any, ...]) -> tuple[Any, ...]:
    data = dict(entry[4])
    assert data["consent"] == "private"
    data["consent"] = "public"
    return (*entry[:4], data, None, *entry[6:])


def with_broken_problems(entry: tuple[Any, ...]) -> tuple[Any, ...]:
    return (*entry[:12], (("not", "a", "problem"),))


@pytest.fixture
def someone_else(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Callable[[bool], None]:
    """Call with True to act as another user (another cache folder, so another key), False to come back."""
    own = os.environ["XDG_CACHE_HOME"]

    def switch(other: bool) -> None:
        monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "someone-else") if other else own)

    return switch


def test_cache_made_by_someone_else_cannot_change_consent(
    tde: Callable[..., Run], project: Path, someone_else: Callable[[bool], None]
) -> None:
    """A cache that says a private interview is public, made on a shared drive by someone else, is not believed."""
    honest = tde("render", "plan", cwd=project)
    assert honest.exit_code == 0, honest
    assert MARKER not in honest.stdout
    before = (project / PRIVATE).read_bytes()
    someone_else(True)
    shutil.rmtree(project / LOCK_DIR)
    assert tde("validate", cwd=project).exit_code == 0
    forge(project, made_public)
    assert MARKER in tde("render", "plan", cwd=project).stdout  # the forger's own tde believes it
    someone_else(False)
    for _ in range(2):
        result = tde("render", "plan", cwd=project)
        assert (result.exit_code, result.stdout, result.stderr) == (0, honest.stdout, honest.stderr)
    assert (project / PRIVATE).read_bytes() == before


def test_malformed_cache_from_elsewhere_is_rebuilt_not_a_crash(
    tde: Callable[..., Run], project: Path, someone_else: Callable[[bool], None]
) -> None:
    """A well-signed cache with entries of the wrong shape, made by someone else, is ignored: no internal error."""
    honest = tde("validate", "--format", "json", cwd=project)
    someone_else(True)
    shutil.rmtree(project / LOCK_DIR)
    assert tde("validate", cwd=project).exit_code == 0
    forge(project, with_broken_problems)
    someone_else(False)
    result = tde("validate", "--format", "json", cwd=project)
    assert (result.exit_code, result.stdout, result.stderr) == (honest.exit_code, honest.stdout, honest.stderr)


def test_key_is_private_and_outside_the_project(
    tde: Callable[..., Run], project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The key is made once, mode 0600 in a 0700 folder of the user's cache, and used by every later run."""
    assert tde("validate", cwd=project).exit_code == 0
    folder = user_folder()
    key = folder / KEY_FILE
    assert stat.S_IMODE(folder.stat().st_mode) == 0o700
    assert stat.S_IMODE(key.stat().st_mode) == 0o600
    made = key.read_bytes()
    assert len(made) == KEY_BYTES
    assert all(made not in p.read_bytes() for p in project.rglob("*") if p.is_file())
    reads = counted_reads(monkeypatch)
    assert tde("validate", cwd=project).exit_code == 0
    assert reads == []  # the cache it signed is believed
    assert key.read_bytes() == made


def test_key_readable_by_others_is_replaced(
    tde: Callable[..., Run], project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A key file that others could read may have been copied: a new one is made and the cache rebuilt."""
    assert tde("validate", cwd=project).exit_code == 0
    key = user_folder() / KEY_FILE
    old = key.read_bytes()
    key.chmod(0o644)
    reads = counted_reads(monkeypatch)
    assert tde("validate", cwd=project).exit_code == 0
    assert len(reads) == RECORDS  # every record read again
    assert key.read_bytes() != old
    assert stat.S_IMODE(key.stat().st_mode) == 0o600


def _a_file(place: Path) -> None:
    place.write_text("not a folder\n", encoding="utf-8")


def _open_to_others(place: Path) -> None:
    (place / "tdekit").mkdir(parents=True)
    (place / "tdekit").chmod(0o777)


@pytest.mark.parametrize("setup", [_a_file, _open_to_others], ids=["a file", "writable by others"])
def test_without_a_safe_place_for_the_key_runs_uncached(
    setup: Callable[[Path], None], tde: Callable[..., Run], project: Path,
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Where the key cannot be kept privately, every command works, says the same, and leaves no cache."""
    healthy = tde("validate", "--format", "json", cwd=project)
    shutil.rmtree(project / LOCK_DIR)
    place = tmp_path / "user-cache"
    setup(place)
    monkeypatch.setenv("XDG_CACHE_HOME", str(place))
    reads = counted_reads(monkeypatch)
    for _ in range(2):
        result = tde("validate", "--format", "json", cwd=project)
        assert (result.exit_code, result.stdout, result.stderr) == (healthy.exit_code, healthy.stdout, healthy.stderr)
    assert len(reads) == 2 * RECORDS
    assert not (project / LOCK_DIR / CACHE_FILE).exists()
    assert not place.is_dir() or not list(place.rglob(KEY_FILE))


def test_relative_cache_home_is_ignored(
    tde: Callable[..., Run], project: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """As the XDG rules say, a relative XDG_CACHE_HOME is ignored: the key goes to ~/.cache/tdekit."""
    monkeypatch.setenv("XDG_CACHE_HOME", "relative-cache")
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    assert tde("validate", cwd=project).exit_code == 0
    assert (tmp_path / "home" / ".cache" / "tdekit" / KEY_FILE).is_file()
    assert not (project / "relative-cache").exists()
