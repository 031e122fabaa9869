"""Safe writes: atomic, never clobbering, never through a link, permissions kept, no litter."""

from __future__ import annotations

import contextlib
import json
import os
import stat
import subprocess
import sys
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from conftest import Run
from tdekit.errors import RefusedWrite
from tdekit.fsio import write_file


@pytest.fixture
def umask_022() -> Iterator[None]:
    """A known umask, so the mode of a new file is predictable."""
    old = os.umask(0o022)
    try:
        yield
    finally:
        os.umask(old)


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def _litter(folder: Path) -> list[str]:
    """Temporary files write_file may have left behind."""
    return sorted(p.name for p in folder.iterdir() if p.name.endswith(".tmp"))


def test_a_new_file_gets_its_bytes_and_the_default_mode(tmp_path: Path, umask_022: None) -> None:
    """A new file holds exactly the bytes given, with mode 0644 under umask 022."""
    target = tmp_path / "new.md"
    write_file(target, b"---\r\nid: x\r\n---\r\n")
    assert target.read_bytes() == b"---\r\nid: x\r\n---\r\n"
    assert _mode(target) == 0o644
    assert _litter(tmp_path) == []


def test_an_existing_file_is_not_overwritten_without_the_flag(tmp_path: Path) -> None:
    """Without overwrite an existing file is refused and left exactly as it was."""
    target = tmp_path / "kept.md"
    target.write_bytes(b"original")
    with pytest.raises(RefusedWrite, match="already exists"):
        write_file(target, b"new", shown="interviews/kept.md")
    assert target.read_bytes() == b"original"
    assert _litter(tmp_path) == []


@pytest.mark.parametrize("mode", [0o644, 0o600, 0o640])
def test_replacing_keeps_the_permissions(tmp_path: Path, mode: int) -> None:
    """Replacing a file keeps its permission bits (a temp file's 0600 must not leak through)."""
    target = tmp_path / "record.md"
    target.write_bytes(b"old")
    target.chmod(mode)
    inode = target.stat().st_ino
    write_file(target, b"new", overwrite=True)
    assert target.read_bytes() == b"new"
    assert _mode(target) == mode
    assert target.stat().st_ino != inode  # replaced by rename, not rewritten in place
    assert _litter(tmp_path) == []


@pytest.mark.parametrize("overwrite", [False, True])
def test_a_symlink_is_never_written_through(tmp_path: Path, overwrite: bool) -> None:
    """A path that is a link is refused, with or without overwrite; its target stays as it was."""
    outside = tmp_path / "outside.txt"
    outside.write_bytes(b"not yours")
    folder = tmp_path / "project"
    folder.mkdir()
    link = folder / "record.md"
    link.symlink_to(outside)
    with pytest.raises(RefusedWrite, match="symbolic link"):
        write_file(link, b"payload", overwrite=overwrite)
    assert outside.read_bytes() == b"not yours"
    assert link.is_symlink()
    assert _litter(folder) == []


def test_a_dangling_symlink_is_refused_too(tmp_path: Path) -> None:
    """A link to a file that does not exist yet is not followed to create it."""
    link = tmp_path / "record.md"
    link.symlink_to(tmp_path / "elsewhere.md")
    with pytest.raises(RefusedWrite, match="symbolic link"):
        write_file(link, b"payload")
    assert not (tmp_path / "elsewhere.md").exists()


def test_a_folder_in_the_way_is_refused(tmp_path: Path) -> None:
    """A folder at the path is not a file to replace."""
    (tmp_path / "record.md").mkdir()
    with pytest.raises(RefusedWrite, match="not a regular file"):
        write_file(tmp_path / "record.md", b"x", overwrite=True)


@contextlib.contextmanager
def _read_only(folder: Path) -> Iterator[None]:
    """Make ``folder`` refuse new files: mode 0555, and for root also the immutable flag."""
    folder.chmod(0o555)
    immutable = False
    if os.access(folder, os.W_OK):  # root: permissions do not stop it
        immutable = subprocess.run(["chattr", "+i", str(folder)], capture_output=True).returncode == 0
        if not immutable:
            folder.chmod(0o755)
            pytest.skip("cannot make a folder read-only for root here (no chattr)")
    try:
        yield
    finally:
        if immutable:
            subprocess.run(["chattr", "-i", str(folder)], check=True)
        folder.chmod(0o755)


def test_a_read_only_folder_is_refused_without_litter(tmp_path: Path) -> None:
    """A folder that cannot be written gives a clear refusal and leaves nothing behind."""
    with _read_only(tmp_path), pytest.raises(RefusedWrite, match=r"cannot write record\.md: "):
        write_file(tmp_path / "record.md", b"x", shown="record.md")
    assert list(tmp_path.iterdir()) == []


def test_tde_new_in_a_read_only_folder_exits_1_and_writes_nothing(
    tde: Callable[..., Run], empty_project: Path
) -> None:
    """'tde new' into a kind folder it cannot write says so on one line and exits 1."""
    interviews = empty_project / "interviews"
    with _read_only(interviews):
        result = tde("new", "interview", "Maria", cwd=empty_project)
        assert list(interviews.iterdir()) == []
    assert result.exit_code == 1
    assert result.stderr.startswith("error: cannot write interviews/maria.md: ")
    assert result.stderr.count("\n") == 1


def test_a_write_that_fails_halfway_leaves_no_temp_file(tmp_path: Path) -> None:
    """When the disk refuses the bytes (here a file-size limit), the temp file is removed.

    This fails after the temporary file exists, which a read-only folder cannot show when the
    tests run as root; it runs in a child process so the limit does not touch the test run.
    """
    folder = tmp_path / "records"
    folder.mkdir()
    (folder / "record.md").write_bytes(b"old")
    script = (
        "import resource, signal, sys\n"
        "from pathlib import Path\n"
        "from tdekit.errors import RefusedWrite\n"
        "from tdekit.fsio import write_file\n"
        "signal.signal(signal.SIGXFSZ, signal.SIG_IGN)\n"
        "resource.setrlimit(resource.RLIMIT_FSIZE, (1024, 1024))\n"
        "folder = Path(sys.argv[1])\n"
        "for name, overwrite in (('record.md', True), ('fresh.md', False)):\n"
        "    try:\n"
        "        write_file(folder / name, b'x' * 4096, overwrite=overwrite)\n"
        "    except RefusedWrite as err:\n"
        "        print(err.message)\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", script, str(folder)], capture_output=True, text=True, check=True
    )
    assert done.stdout.splitlines() == [
        f"cannot write {folder / 'record.md'}: File too large",
        f"cannot write {folder / 'fresh.md'}: File too large",
    ]
    assert sorted(p.name for p in folder.iterdir()) == ["record.md"]
    assert (folder / "record.md").read_bytes() == b"old"


def test_an_interrupted_write_leaves_no_temp_file(tmp_path: Path) -> None:
    """Whatever stops a write midway (here a bug: text instead of bytes), no temp file stays."""
    with pytest.raises(TypeError):
        write_file(tmp_path / "record.md", "text, not bytes")  # type: ignore[arg-type]
    assert list(tmp_path.iterdir()) == []


def test_tde_new_refuses_a_kind_folder_that_links_outside_the_project(
    tde: Callable[..., Run], empty_project: Path, tmp_path: Path
) -> None:
    """'tde new' does not write into a kind folder that is a link to somewhere outside."""
    outside = tmp_path / "outside"
    outside.mkdir()
    (empty_project / "interviews").rmdir()
    (empty_project / "interviews").symlink_to(outside)
    result = tde("new", "interview", "Maria", cwd=empty_project)
    assert result.exit_code == 1
    assert result.stderr == (
        f"error: interviews/ is a link to {outside}, outside the project; tde does not write through it\n"
    )
    assert list(outside.iterdir()) == []


def test_tde_new_refuses_a_dangling_link_where_the_record_would_go(
    tde: Callable[..., Run], empty_project: Path, tmp_path: Path
) -> None:
    """A link already sitting at the record's path counts as an existing record: nothing is written."""
    (empty_project / "interviews" / "maria.md").symlink_to(tmp_path / "elsewhere.md")
    result = tde("new", "interview", "Maria", cwd=empty_project)
    assert result.exit_code == 1
    assert "interviews/maria.md already exists" in result.stderr
    assert not (tmp_path / "elsewhere.md").exists()


def test_tde_new_keeps_the_default_mode_and_leaves_no_temp_files(
    tde: Callable[..., Run], empty_project: Path, umask_022: None
) -> None:
    """A record made by 'tde new' is 0644 and its folder holds only the record."""
    result = tde("new", "persona", "Tenant organizer", cwd=empty_project)
    assert result.exit_code == 0, result
    record = empty_project / "personas" / "tenant-organizer.md"
    assert _mode(record) == 0o644
    assert [p.name for p in (empty_project / "personas").iterdir()] == ["tenant-organizer.md"]


def test_leftovers_of_killed_writes_are_ignored_then_swept(
    tde: Callable[..., Run], empty_project: Path, tmp_path: Path
) -> None:
    """A temporary file left by a killed write is read by nobody, and the next command that takes the lock removes it.

    Files of the team that only look alike (an editor's swap file, a .tmp note, a link) stay.
    """
    leftover = empty_project / "usecases" / ".bus-times.md.k2x_9abc.tmp"
    leftover.write_text("---\nid: bus-times\ntitle: [broken\n", encoding="utf-8")
    kept = [
        empty_project / "usecases" / ".bus-times.md.swp",
        empty_project / "usecases" / "notes.tmp",
        empty_project / "personas" / ".draft.md.tmp",
    ]
    for path in kept:
        path.write_text("the team's own\n", encoding="utf-8")
    elsewhere = tmp_path / "elsewhere.tmp"
    elsewhere.write_text("not ours\n", encoding="utf-8")
    link = empty_project / "personas" / ".rider.md.abcdefgh.tmp"
    link.symlink_to(elsewhere)
    checked = tde("validate", "--format", "json", cwd=empty_project)
    assert checked.exit_code == 0, checked
    # The fresh tde.yaml's own template-text warnings aside, the leftovers are not read.
    assert [p["path"] for p in json.loads(checked.stdout)] == ["tde.yaml", "tde.yaml"]
    assert tde("new", "persona", "Night rider", cwd=empty_project).exit_code == 0
    assert not leftover.exists()
    assert all(path.read_text(encoding="utf-8") == "the team's own\n" for path in kept)
    assert link.is_symlink() and elsewhere.read_text(encoding="utf-8") == "not ours\n"
