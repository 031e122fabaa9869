""".tde-cache/ behaves like the cache of a serious tool: out of git and backups, never in the way.

Whatever is wrong with it (a read-only project, a file or a link in its place, a cache file that
is a folder or a pipe), a command says exactly what it says with a healthy cache, and nothing
more; ``TDE_NO_CACHE=1`` turns it off.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import subprocess
import sys
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from conftest import Run, git
from tdekit.fsio import LOCK_DIR
from tdekit.records.cache import CACHE_FILE, RecordCache, stamp_of
from test_cache import USECASE, counted_reads, edit
from test_fsio import _read_only

SIGNATURE = "Signature: 8a477f597d28d172789f06886806bc55"

#: Commands whose whole output is compared, each as a reader of the project would run it.
COMMANDS = [
    ("validate", "--format", "json"),
    ("list", "--format", "json"),
    ("score", "--format", "json"),
    ("status", "--format", "json"),
    ("render", "plan", "--format", "md"),
]


@pytest.fixture
def example(example: Path) -> Path:
    """The example project with one mistake (so validate has something to say), no cache yet."""
    shutil.rmtree(example / LOCK_DIR, ignore_errors=True)
    edit(example / USECASE, b"status: shortlisted", b"status: shortlistedd")
    return example


def outputs(tde: Callable[..., Run], root: Path) -> list[tuple[int, str, str]]:
    return [(r.exit_code, r.stdout, r.stderr) for r in (tde(*args, cwd=root) for args in COMMANDS)]


# --- out of git and backups --------------------------------------------------------------------


def test_cache_folder_is_marked_for_git_and_backups(tde: Callable[..., Run], example: Path) -> None:
    """The folder tde makes holds a .gitignore of '*' and a cache directory tag."""
    assert not (example / ".gitignore").exists()
    assert tde("validate", cwd=example).exit_code == 1
    folder = example / LOCK_DIR
    ignore = (folder / ".gitignore").read_text(encoding="utf-8").splitlines()
    assert ignore[0].startswith("# Created by tde")
    assert ignore[1:] == ["*"]
    assert (folder / "CACHEDIR.TAG").read_text(encoding="utf-8").startswith(SIGNATURE + "\n")
    git(example, "add", "-A")
    assert git(example, "diff", "--cached", "--name-only").splitlines() == [USECASE]


def test_lock_folder_made_by_a_write_is_marked_too(
    tde: Callable[..., Run], example: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """'tde new' makes the folder for its lock; it is kept out of git all the same."""
    monkeypatch.setenv("TDE_NO_CACHE", "1")
    assert tde("new", "persona", "Night bus rider", cwd=example).exit_code == 0
    assert sorted(p.name for p in (example / LOCK_DIR).iterdir()) == [".gitignore", "CACHEDIR.TAG", "lock"]
    git(example, "add", "-A")
    assert git(example, "diff", "--cached", "--name-only").splitlines() == [
        "personas/night-bus-rider.md", USECASE,
    ]


def test_unmarked_cache_folder_gets_its_markers(tde: Callable[..., Run], example: Path) -> None:
    """A .tde-cache made without the markers (by hand, or an earlier tde) gets them at the next write."""
    (example / LOCK_DIR).mkdir()
    assert tde("validate", cwd=example).exit_code == 1
    assert sorted(p.name for p in (example / LOCK_DIR).iterdir()) == [".gitignore", "CACHEDIR.TAG", CACHE_FILE]


def test_markers_of_the_user_are_kept(tde: Callable[..., Run], example: Path) -> None:
    """A .gitignore already in the folder is the user's: it is not replaced."""
    (example / LOCK_DIR).mkdir()
    (example / LOCK_DIR / ".gitignore").write_text("records.pickle\n", encoding="utf-8")
    assert tde("validate", cwd=example).exit_code == 1
    assert (example / LOCK_DIR / ".gitignore").read_text(encoding="utf-8") == "records.pickle\n"


# --- never in the way ---------------------------------------------------------------------------


def _a_file(root: Path, elsewhere: Path) -> Callable[[], None]:
    (root / LOCK_DIR).write_text("not a folder\n", encoding="utf-8")

    def check() -> None:
        assert (root / LOCK_DIR).read_text(encoding="utf-8") == "not a folder\n"

    return check


def _a_link(root: Path, elsewhere: Path) -> Callable[[], None]:
    elsewhere.mkdir()
    (root / LOCK_DIR).symlink_to(elsewhere)

    def check() -> None:
        assert list(elsewhere.iterdir()) == []

    return check


def _a_dangling_link(root: Path, elsewhere: Path) -> Callable[[], None]:
    (root / LOCK_DIR).symlink_to(elsewhere)

    def check() -> None:
        assert not elsewhere.exists()

    return check


def _cache_file_a_folder(root: Path, elsewhere: Path) -> Callable[[], None]:
    (root / LOCK_DIR / CACHE_FILE).mkdir(parents=True)

    def check() -> None:
        assert (root / LOCK_DIR / CACHE_FILE).is_dir()
        assert [p.name for p in (root / LOCK_DIR).iterdir() if p.name.endswith(".tmp")] == []

    return check


def _cache_file_a_link(root: Path, elsewhere: Path) -> Callable[[], None]:
    """A cache file that is a link: neither read through nor written through."""
    elsewhere.write_bytes(b"someone else's file")
    (root / LOCK_DIR).mkdir()
    (root / LOCK_DIR / CACHE_FILE).symlink_to(elsewhere)

    def check() -> None:
        assert elsewhere.read_bytes() == b"someone else's file"

    return check


@pytest.mark.parametrize(
    "setup",
    [_a_file, _a_link, _a_dangling_link, _cache_file_a_folder, _cache_file_a_link],
    ids=["folder is a file", "folder is a link", "folder is a dangling link",
         "cache file is a folder", "cache file is a link"],
)
def test_broken_cache_place_changes_no_output(
    setup: Callable[[Path, Path], Callable[[], None]], tde: Callable[..., Run], example: Path, tmp_path: Path
) -> None:
    """Every command says exactly what it says with a healthy cache, twice, and leaves the place be."""
    healthy = outputs(tde, example)
    shutil.rmtree(example / LOCK_DIR)
    check = setup(example, tmp_path / "elsewhere")
    for _ in range(2):
        assert outputs(tde, example) == healthy
    check()


@pytest.fixture
def read_only() -> Iterator[Callable[[Path], None]]:
    """Call the returned function on a folder to make it refuse new files until the test ends."""
    with contextlib.ExitStack() as stack:
        yield lambda folder: stack.enter_context(_read_only(folder))


def test_read_only_project_runs_uncached(
    tde: Callable[..., Run], example: Path, read_only: Callable[[Path], None]
) -> None:
    """In a project folder that cannot be written, every command works and says the same."""
    healthy = outputs(tde, example)
    shutil.rmtree(example / LOCK_DIR)
    read_only(example)
    for _ in range(2):
        assert outputs(tde, example) == healthy
    assert not (example / LOCK_DIR).exists()


def test_read_only_cache_folder_still_sees_edits(
    tde: Callable[..., Run], example: Path, read_only: Callable[[Path], None]
) -> None:
    """A cache that can be read but not updated is used for unchanged files, never for edited ones."""
    before = outputs(tde, example)
    saved = (example / LOCK_DIR / CACHE_FILE).read_bytes()
    edit(example / USECASE, b"status: shortlistedd", b"status: shortlisted")
    read_only(example / LOCK_DIR)
    for _ in range(2):
        after = outputs(tde, example)
        assert after[0][:2] == (0, "[]\n")  # validate: the fix is seen
        assert after != before
    assert (example / LOCK_DIR / CACHE_FILE).read_bytes() == saved


@pytest.mark.parametrize("link", [False, True], ids=["a pipe", "a link to a pipe"])
def test_cache_file_that_is_a_pipe_does_not_hang(example: Path, tmp_path: Path, link: bool) -> None:
    """A pipe in the cache file's place would block a plain open for ever; tde runs on without it."""
    env = {**os.environ, "NO_COLOR": "1"}
    command = [sys.executable, "-m", "tdekit", "validate", "--format", "json"]
    healthy = subprocess.run(command, cwd=example, env=env, capture_output=True, timeout=120, check=False)
    shutil.rmtree(example / LOCK_DIR)
    (example / LOCK_DIR).mkdir()
    pipe = tmp_path / "pipe" if link else example / LOCK_DIR / CACHE_FILE
    os.mkfifo(pipe)
    if link:
        (example / LOCK_DIR / CACHE_FILE).symlink_to(pipe)
    done = subprocess.run(command, cwd=example, env=env, capture_output=True, timeout=60, check=False)
    assert (done.returncode, done.stdout, done.stderr) == (healthy.returncode, healthy.stdout, healthy.stderr)
    assert done.returncode == 1


@pytest.mark.parametrize(
    ("setup", "reason"),
    [
        (_a_file, ".tde-cache is not a folder; remove it and tde makes it again"),
        (_a_link, ".tde-cache is a symbolic link; tde does not write through links"),
    ],
    ids=["folder is a file", "folder is a link"],
)
def test_write_needing_the_lock_says_what_is_in_the_way(
    setup: Callable[[Path, Path], Callable[[], None]], reason: str,
    tde: Callable[..., Run], example: Path, tmp_path: Path,
) -> None:
    """'tde new' cannot take its lock there: one clear line, exit 1, nothing written anywhere."""
    check = setup(example, tmp_path / "elsewhere")
    result = tde("new", "persona", "Night bus rider", cwd=example)
    assert (result.exit_code, result.stdout) == (1, "")
    assert result.stderr == f"error: cannot lock the project for writing: {reason}\n"
    assert not (example / "personas" / "night-bus-rider.md").exists()
    check()


def _lock_a_pipe(lock: Path) -> None:
    os.mkfifo(lock)


def _lock_a_folder(lock: Path) -> None:
    lock.mkdir()


def _lock_a_link_to_a_pipe(lock: Path) -> None:
    os.mkfifo(lock.parent.parent.parent / "pipe")
    lock.symlink_to(lock.parent.parent.parent / "pipe")


@pytest.mark.parametrize("setup", [_lock_a_pipe, _lock_a_folder, _lock_a_link_to_a_pipe],
                         ids=["a pipe", "a folder", "a link to a pipe"])
@pytest.mark.parametrize(
    "args", [("select", "code-violations-by-address"), ("new", "persona", "Night bus rider")],
    ids=["select", "new"],
)
def test_lock_that_is_not_a_file_never_hangs(
    setup: Callable[[Path], None], args: tuple[str, ...], example: Path
) -> None:
    """A pipe (or a folder) where the lock file belongs would block the open for ever: one clear line, exit 1."""
    edit(example / USECASE, b"status: shortlistedd", b"status: shortlisted")
    (example / LOCK_DIR).mkdir()
    setup(example / LOCK_DIR / "lock")
    before = {p: p.read_bytes() for p in example.rglob("*.md")}
    env = {**os.environ, "NO_COLOR": "1"}
    done = subprocess.run([sys.executable, "-m", "tdekit", *args], cwd=example, env=env,
                          capture_output=True, timeout=60, check=False)
    assert (done.returncode, done.stdout) == (1, b"")
    assert done.stderr == (
        b"error: cannot lock the project for writing: .tde-cache/lock is not a regular file; "
        b"remove it and tde makes it again\n"
    )
    assert {p: p.read_bytes() for p in example.rglob("*.md")} == before


# --- TDE_NO_CACHE ------------------------------------------------------------------------------


def test_no_cache_writes_nothing_and_says_the_same(
    tde: Callable[..., Run], example: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """With TDE_NO_CACHE=1 no .tde-cache is made, and every command says what it says with one."""
    healthy = outputs(tde, example)
    shutil.rmtree(example / LOCK_DIR)
    monkeypatch.setenv("TDE_NO_CACHE", "1")
    assert outputs(tde, example) == healthy
    assert not (example / LOCK_DIR).exists()


def test_no_cache_reads_every_file_and_leaves_the_cache_alone(
    tde: Callable[..., Run], example: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """An existing cache is neither consulted nor rewritten while TDE_NO_CACHE is set."""
    assert tde("validate", cwd=example).exit_code == 1
    path = example / LOCK_DIR / CACHE_FILE
    before = (path.read_bytes(), path.stat().st_mtime_ns)
    reads = counted_reads(monkeypatch)
    records = len(list(example.glob("*/*.md")))  # every record of the example, in its folder
    monkeypatch.setenv("TDE_NO_CACHE", "1")
    for _ in range(2):
        assert tde("validate", cwd=example).exit_code == 1
    assert len(reads) == 2 * records
    assert (path.read_bytes(), path.stat().st_mtime_ns) == before
    monkeypatch.setenv("TDE_NO_CACHE", "0")  # 0 (or empty) leaves the cache on
    assert tde("validate", cwd=example).exit_code == 1
    assert len(reads) == 2 * records


# --- never a stale answer ----------------------------------------------------------------------


def test_sub_second_change_of_modification_time_is_a_change(example: Path, tde: Callable[..., Run]) -> None:
    """Two stamps that differ only within the same second of modification time are different.

    Here the stat is taken apart so that nothing else (size, change time, inode) differs: the
    cache must compare modification times to the nanosecond.
    """
    assert tde("validate", cwd=example).exit_code == 1
    path = example / USECASE
    real = path.stat()
    second, within = divmod(real.st_mtime_ns, 1_000_000_000)
    moved = os.stat_result(tuple(real), {
        "st_mtime_ns": second * 1_000_000_000 + (within + 1) % 1_000_000_000,
        "st_ctime_ns": real.st_ctime_ns,
        "st_atime_ns": real.st_atime_ns,
    })
    assert stamp_of(moved)[0] == real.st_size and moved.st_ino == real.st_ino
    settings_raw = (example / "tde.yaml").read_bytes()
    assert RecordCache(example, settings_raw).lookup(USECASE, stamp_of(real), path) is not None
    assert RecordCache(example, settings_raw).lookup(USECASE, stamp_of(moved), path) is None


@pytest.mark.parametrize(
    ("changed", "old", "new", "code", "before", "after"),
    [
        (USECASE, b"status: shortlistedd", b"status: shortlisted", "invalid-choice", True, False),
        ("tde.yaml", b"  scale: [1, 5]", b"  scale: [1, 4]", "score-off-scale", False, True),
    ],
    ids=["a record", "tde.yaml"],
)
def test_edit_while_a_run_is_reading_is_seen_next_time(
    changed: str, old: bytes, new: bytes, code: str, before: bool, after: bool,
    tde: Callable[..., Run], example: Path, monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A run that read a file before it was edited, and saves its cache after, misleads no later run."""
    first = tde("validate", "--format", "json", cwd=example)
    assert (f'"code": "{code}"' in first.stdout) == before
    (example / LOCK_DIR / CACHE_FILE).unlink()
    real_save = RecordCache.save

    def edit_then_save(self: RecordCache) -> None:
        edit(example / changed, old, new)
        real_save(self)

    monkeypatch.setattr(RecordCache, "save", edit_then_save)
    racing = tde("validate", "--format", "json", cwd=example)
    assert racing.stdout == first.stdout  # it reports what it read
    monkeypatch.setattr(RecordCache, "save", real_save)
    last = tde("validate", "--format", "json", cwd=example)
    assert (f'"code": "{code}"' in last.stdout) == after
