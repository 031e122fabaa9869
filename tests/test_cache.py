"""The cache in ``.tde-cache/``: a warm run gives exactly what a cold one gives, and never a stale answer."""

from __future__ import annotations

import json
import os
import pickle
import shutil
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from conftest import Run
from tdekit.fsio import LOCK_DIR
from tdekit.records import cache, project
from tdekit.records.cache import CACHE_FILE, MAGIC
from test_validate_corpus import CASES, HOSTILE, case_files, lay_out, read_case

USECASE = "usecases/code-violations-by-address.md"


def cache_file(root: Path) -> Path:
    return root / LOCK_DIR / CACHE_FILE


@pytest.fixture
def example(example: Path) -> Path:
    """The example project, without any cache folder that came along with the copy."""
    shutil.rmtree(example / LOCK_DIR, ignore_errors=True)
    return example


@pytest.fixture
def no_reading(monkeypatch: pytest.MonkeyPatch) -> Iterator[Callable[[], None]]:
    """Call the returned function to make any reading of a record or of tde.yaml fail the test."""

    def forbid() -> None:
        def fail(*args: object, **kwargs: object) -> None:
            raise AssertionError(f"a file was read although the cache holds it: {args[1:2]}")

        monkeypatch.setattr(project, "read_document", fail)
        monkeypatch.setattr(project, "read_yaml", fail)

    yield forbid


def counted_reads(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The record files read from now on (those not served from the cache)."""
    reads: list[str] = []
    real_read = project.read_document

    def counting_read(raw: bytes, path: str) -> object:
        reads.append(path)
        return real_read(raw, path)

    monkeypatch.setattr(project, "read_document", counting_read)
    return reads


def edit(path: Path, old: bytes, new: bytes, *, keep_mtime: bool = False) -> None:
    """Replace ``old`` by ``new`` in the file, optionally putting its modification time back."""
    before = path.stat()
    data = path.read_bytes()
    assert data.count(old) == 1, f"{old!r} is not in {path} exactly once"
    path.write_bytes(data.replace(old, new))
    if keep_mtime:
        os.utime(path, ns=(before.st_atime_ns, before.st_mtime_ns))


def test_warm_run_reads_nothing_and_says_the_same(
    tde: Callable[..., Run], example: Path, no_reading: Callable[[], None]
) -> None:
    """A second run over unchanged files is served from the cache and prints the same."""
    cold = tde("validate", "--format", "json", cwd=example)
    assert cache_file(example).read_bytes().startswith(MAGIC)
    no_reading()
    warm = tde("validate", "--format", "json", cwd=example)
    assert (warm.exit_code, warm.stdout, warm.stderr) == (cold.exit_code, cold.stdout, cold.stderr)
    assert tde("list", "--format", "json", cwd=example).exit_code == 0
    assert tde("score", "--format", "json", cwd=example).exit_code == 0


def test_cache_folder_is_ignored_by_git(tde: Callable[..., Run], example: Path) -> None:
    """The cache folder keeps itself out of git, even in a project without a .gitignore for it."""
    assert tde("validate", cwd=example).exit_code == 0
    status = subprocess.run(
        ["git", "status", "--porcelain", "--untracked-files=all"],
        cwd=example, capture_output=True, text=True, check=True,
    )
    assert status.stdout == ""


CORPUS_CASES = [(name, case_files(name), read_case(name)[1]) for name in CASES] + [
    (about, {rel: data}, []) for about, rel, data, _ in HOSTILE
]


@pytest.mark.parametrize(
    ("files", "args"),
    [(files, args) for _, files, args in CORPUS_CASES],
    ids=[name for name, _, _ in CORPUS_CASES],
)
def test_cached_run_reports_every_corpus_problem(
    files: dict[str, bytes],
    args: list[str],
    tde: Callable[..., Run],
    tmp_path: Path,
    no_reading: Callable[[], None],
) -> None:
    """For every broken or hostile case, the run served from the cache reports exactly the same."""
    root = lay_out(tmp_path, files)
    cold = tde("validate", "--format", "json", *args, cwd=root)
    no_reading()
    warm = tde("validate", "--format", "json", *args, cwd=root)
    assert (warm.exit_code, warm.stdout, warm.stderr) == (cold.exit_code, cold.stdout, cold.stderr)


def test_edited_file_is_checked_again(tde: Callable[..., Run], example: Path) -> None:
    """An edit that introduces an error shows at once, and so does the fix."""
    assert tde("validate", cwd=example).exit_code == 0
    edit(example / USECASE, b"status: shortlisted", b"status: shortlistedd")
    broken = tde("validate", cwd=example)
    assert broken.exit_code == 1
    assert "usecases/code-violations-by-address.md:6:9: error: 'shortlistedd' is not a valid status" in broken.stdout
    edit(example / USECASE, b"status: shortlistedd", b"status: shortlisted")
    assert tde("validate", cwd=example).exit_code == 0


def test_edit_keeping_size_and_mtime_is_seen(
    tde: Callable[..., Run], example: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A same-size edit whose modification time is put back is still seen (by its change time)."""
    monkeypatch.setattr(cache, "RACY_NS", 0)  # trust stamps at once: no reading to compare
    assert tde("validate", cwd=example).exit_code == 0
    assert tde("validate", cwd=example).exit_code == 0
    edit(example / USECASE, b"status: shortlisted", b"status: shortlistex", keep_mtime=True)
    broken = tde("validate", cwd=example)
    assert broken.exit_code == 1
    assert "'shortlistex' is not a valid status" in broken.stdout


def test_change_within_one_clock_tick_is_seen(
    tde: Callable[..., Run], example: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """When a file system's coarse clock leaves the stamp unchanged, the file's bytes still tell."""
    frozen = time.time_ns()

    def coarse_stamp(st: os.stat_result) -> cache.Stamp:
        return (st.st_size, frozen, frozen, st.st_ino)

    monkeypatch.setattr(project, "stamp_of", coarse_stamp)
    assert tde("validate", cwd=example).exit_code == 0
    edit(example / USECASE, b"status: shortlisted", b"status: shortlistex")
    broken = tde("validate", cwd=example)
    assert broken.exit_code == 1
    assert "'shortlistex' is not a valid status" in broken.stdout


def test_new_deleted_and_selected_records_are_seen(tde: Callable[..., Run], example: Path) -> None:
    """Records written by tde new and tde select, and records deleted, show in the next run."""
    assert tde("validate", cwd=example).exit_code == 0
    assert tde("new", "persona", "Bus rider on the night shift", cwd=example).exit_code == 0
    assert tde("select", "code-violations-by-address", cwd=example).exit_code == 0
    listed = tde("list", "--format", "json", cwd=example)
    by_id = {r["id"]: r for r in json.loads(listed.stdout)}
    assert "bus-rider-on-the-night-shift" in by_id
    assert by_id["code-violations-by-address"]["status"] == "selected"
    assert by_id["eviction-filings-by-neighborhood"]["status"] == "shortlisted"
    (example / "personas" / "bus-rider-on-the-night-shift.md").unlink()
    (example / "personas" / "tenant-organizer.md").unlink()
    gone = tde("validate", cwd=example)
    assert gone.exit_code == 1
    assert "'tenant-organizer' in personas is not a persona of this project" in gone.stdout


def test_changed_settings_are_read_again(tde: Callable[..., Run], example: Path) -> None:
    """A change to tde.yaml is seen by the next run: its rules apply, its mistakes are reported."""
    assert tde("validate", cwd=example).exit_code == 0
    edit(example / "tde.yaml", b"  scale: [1, 5]", b"  scale: [1, 4]")
    off_scale = tde("validate", cwd=example)
    assert off_scale.exit_code == 1
    assert "off the scale; tde.yaml sets it from 1 to 4" in off_scale.stdout
    edit(example / "tde.yaml", b"  scale: [1, 4]", b"  scale: [1, four]")
    broken = tde("validate", cwd=example)
    assert broken.exit_code == 2
    assert "tde.yaml" in broken.stdout + broken.stderr


def _damage_garbage(blob: bytes) -> bytes:
    return b"\x00\xff not a cache at all" * 10


def _damage_truncate(blob: bytes) -> bytes:
    return blob[: len(blob) // 2]


def _damage_empty(blob: bytes) -> bytes:
    return b""


def _damage_one_byte(blob: bytes) -> bytes:
    """One byte of a stored message changed: the pickle still loads, only the signature can tell."""
    assert blob.count(b"is not a valid status") == 1
    return blob.replace(b"is not a valid status", b"is not a valid statuz")


def _damage_old_format(blob: bytes) -> bytes:
    return blob.replace(MAGIC, b"tdekit-cache 0\n", 1)


@pytest.mark.parametrize(
    "damage",
    [_damage_garbage, _damage_truncate, _damage_empty, _damage_one_byte, _damage_old_format],
    ids=["garbage", "truncated", "empty", "one byte changed", "older format"],
)
def test_damaged_cache_is_rebuilt(
    damage: Callable[[bytes], bytes],
    tde: Callable[..., Run],
    example: Path,
    no_reading: Callable[[], None],
) -> None:
    """A cache file that is damaged in any way is ignored and written anew, never an error."""
    edit(example / USECASE, b"status: shortlisted", b"status: shortlistedd")
    cold = tde("validate", cwd=example)
    path = cache_file(example)
    path.write_bytes(damage(path.read_bytes()))
    rebuilt = tde("validate", cwd=example)
    assert (rebuilt.exit_code, rebuilt.stdout, rebuilt.stderr) == (cold.exit_code, cold.stdout, cold.stderr)
    no_reading()
    warm = tde("validate", cwd=example)
    assert (warm.exit_code, warm.stdout) == (cold.exit_code, cold.stdout)


class _Planted:
    """Unpickling this would create a file: the proof that a cache could run code."""

    def __init__(self, target: Path) -> None:
        self.target = target

    def __reduce__(self) -> tuple[object, tuple[object, ...]]:
        return (Path.touch, (self.target,))


@pytest.mark.parametrize("signed", [False, True], ids=["unsigned", "signed with the user's key"])
def test_forged_cache_cannot_run_code(tde: Callable[..., Run], example: Path, tmp_path: Path, signed: bool) -> None:
    """A cache file crafted to run code when loaded runs nothing, even one that carries a valid signature."""
    assert tde("validate", cwd=example).exit_code == 0
    path = cache_file(example)
    header_length = len(MAGIC) + 33
    header = path.read_bytes()[:header_length]  # magic and this project's fingerprint
    planted = tmp_path / "planted"
    body = pickle.dumps(((None, ()), {USECASE: _Planted(planted)}))
    own = cache.RecordCache(example, (example / "tde.yaml").read_bytes())
    signature = own._sign(header, body) if signed else b"0" * 64
    path.write_bytes(header + signature + b"\n" + body)
    result = tde("validate", cwd=example)
    assert result.exit_code == 0
    assert not planted.exists()


def test_unwritable_cache_folder_is_no_error(tde: Callable[..., Run], example: Path) -> None:
    """Where the cache cannot be written, tde works without it."""
    (example / LOCK_DIR).write_text("not a folder\n", encoding="utf-8")
    for _ in range(2):
        result = tde("validate", cwd=example)
        assert (result.exit_code, result.stderr) == (0, "39 records checked: no problems\n")
    assert (example / LOCK_DIR).read_text(encoding="utf-8") == "not a folder\n"


def test_cache_folder_link_is_not_followed(tde: Callable[..., Run], example: Path, tmp_path: Path) -> None:
    """A .tde-cache that is a link to elsewhere is neither read nor written through."""
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (example / LOCK_DIR).symlink_to(elsewhere)
    assert tde("validate", cwd=example).exit_code == 0
    assert list(elsewhere.iterdir()) == []


@pytest.mark.slow
def test_concurrent_runs_leave_a_whole_cache(example: Path, no_reading: Callable[[], None]) -> None:
    """Several tde processes validating at once all succeed and leave a cache the next run uses."""
    edit(example / USECASE, b"status: shortlisted", b"status: shortlistedd")
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    command = [sys.executable, "-m", "tdekit", "validate"]
    runs = [
        subprocess.Popen(command, cwd=example, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        for _ in range(4)
    ]
    outputs = [proc.communicate(timeout=120) for proc in runs]
    assert [proc.returncode for proc in runs] == [1] * 4
    assert len({out for out, _ in outputs}) == 1
    assert b"'shortlistedd' is not a valid status" in outputs[0][0]
    assert [p.name for p in (example / LOCK_DIR).iterdir() if p.name.endswith(".tmp")] == []
    no_reading()
    loaded = project.load_project(example)
    assert any(p.code == "invalid-choice" for p in loaded.problems)


def test_leftovers_of_killed_runs_are_swept(tde: Callable[..., Run], example: Path) -> None:
    """A temporary file left by a run killed while writing is removed later; a fresh one is not."""
    assert tde("validate", cwd=example).exit_code == 0
    old = example / LOCK_DIR / f".{CACHE_FILE}.abc123.tmp"
    fresh = example / LOCK_DIR / f".{CACHE_FILE}.def456.tmp"
    for path in (old, fresh):
        path.write_bytes(b"half a cache")
    hours_ago = time.time() - 2 * 3600
    os.utime(old, (hours_ago, hours_ago))
    edit(example / USECASE, b"status: shortlisted", b"status: parked")
    assert tde("validate", cwd=example).exit_code == 0
    assert not old.exists()
    assert fresh.exists()


def test_new_library_version_starts_a_fresh_cache(
    tde: Callable[..., Run], example: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """When pydantic or ruamel.yaml change (stood for here by one file), every record is read again."""
    library = tmp_path / "library.py"
    library.write_text("VERSION = 1\n", encoding="utf-8")
    monkeypatch.setattr(cache, "_library_files", lambda: [str(library)])
    reads = counted_reads(monkeypatch)
    assert tde("validate", cwd=example).exit_code == 0
    assert len(reads) == 39
    assert tde("validate", cwd=example).exit_code == 0
    assert len(reads) == 39
    library.write_text("VERSION = 22\n", encoding="utf-8")
    assert tde("validate", cwd=example).exit_code == 0
    assert len(reads) == 78
