"""``tde select`` on the shipped example, through the real CLI and real git."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from conftest import Run, git
from tdekit import fsio
from tdekit.errors import RefusedWrite

SELECTED = "eviction-filings-by-neighborhood"
OTHER = "code-violations-by-address"


def statuses(root: Path) -> dict[str, str]:
    """The status line of every use case file."""
    found = {}
    for path in sorted((root / "usecases").glob("*.md")):
        line = next(x for x in path.read_text(encoding="utf-8").splitlines() if x.startswith("status:"))
        found[path.stem] = line.split(":", 1)[1].split("#")[0].strip()
    return found


def snapshot(root: Path) -> dict[str, bytes]:
    """The bytes of every file in the project, hidden ones included, except the lock folder."""
    return {
        p.relative_to(root).as_posix(): p.read_bytes()
        for p in sorted(root.rglob("*"))
        if p.is_file() and ".git" not in p.parts and fsio.LOCK_DIR not in p.parts
    }


def test_select_changes_one_line_in_each_file(example: Path, tde: Callable[..., Run]) -> None:
    """Selecting a use case rewrites only the status line of it and of the one selected before."""
    run = tde("select", OTHER, cwd=example)
    assert run.exit_code == 0, run
    assert run.stdout == f"selected {OTHER}; {SELECTED} is back to shortlisted.\n"
    assert git(example, "diff", "--numstat") == (
        f"1\t1\tusecases/{OTHER}.md\n1\t1\tusecases/{SELECTED}.md\n"
    )
    diff = git(example, "diff", "--unified=0", "--no-color")
    changed = [line for line in diff.splitlines() if line[:1] in "+-" and line[:3] not in ("+++", "---")]
    assert changed == ["-status: shortlisted", "+status: selected", "-status: selected", "+status: shortlisted"]
    assert tde("validate", cwd=example).exit_code == 0


def test_select_without_a_previous_selection(example: Path, tde: Callable[..., Run]) -> None:
    """With nothing selected yet, only the chosen use case changes."""
    tde("select", OTHER, cwd=example)
    git(example, "commit", "--quiet", "-am", "select")
    path = example / "usecases" / f"{OTHER}.md"
    path.write_bytes(path.read_bytes().replace(b"status: selected", b"status: parked"))
    git(example, "commit", "--quiet", "-am", "park")
    run = tde("select", SELECTED, cwd=example)
    assert run.exit_code == 0, run
    assert run.stdout == f"selected {SELECTED}.\n"
    assert git(example, "diff", "--numstat") == f"1\t1\tusecases/{SELECTED}.md\n"


def test_selecting_the_selected_one_is_a_no_op(example: Path, tde: Callable[..., Run]) -> None:
    """Selecting the use case that is already selected writes nothing and says so."""
    before = snapshot(example)
    run = tde("select", SELECTED, cwd=example)
    assert run.exit_code == 0, run
    assert run.stdout == f"{SELECTED} is already the selected use case; nothing changed.\n"
    assert snapshot(example) == before


def test_select_mends_several_selected(example: Path, tde: Callable[..., Run]) -> None:
    """When several use cases are selected by hand, select leaves exactly the chosen one."""
    for name in (OTHER, "rental-assistance-reach"):
        path = example / "usecases" / f"{name}.md"
        path.write_bytes(path.read_bytes().replace(b"status: shortlisted", b"status: selected"))
    assert tde("validate", cwd=example).exit_code == 1
    run = tde("select", OTHER, cwd=example)
    assert run.exit_code == 0, run
    assert run.stdout == (
        f"selected {OTHER}; {SELECTED} and rental-assistance-reach are back to shortlisted.\n"
    )
    assert [k for k, v in statuses(example).items() if v == "selected"] == [OTHER]


def test_unknown_id(example: Path, tde: Callable[..., Run]) -> None:
    """An unknown id is refused with a did-you-mean, exit 1, nothing written."""
    before = snapshot(example)
    run = tde("select", "eviction-filings", cwd=example)
    assert run.exit_code == 1
    assert run.stderr == (
        "error: no use case 'eviction-filings' in this project; "
        f"did you mean '{SELECTED}'?\n"
    )
    assert snapshot(example) == before


def test_unknown_id_without_a_guess(example: Path, tde: Callable[..., Run]) -> None:
    """An id like no other lists the use cases there are."""
    run = tde("select", "zzz", cwd=example)
    assert run.exit_code == 1
    assert run.stderr.startswith("error: no use case 'zzz' in this project; the use cases are: ")
    assert SELECTED in run.stderr


def test_other_kind(example: Path, tde: Callable[..., Run]) -> None:
    """The id of an interview is refused: only use cases can be selected."""
    before = snapshot(example)
    run = tde("select", "eastside-tenant", cwd=example)
    assert run.exit_code == 1
    assert run.stderr == (
        "error: 'eastside-tenant' is an interview (interviews/eastside-tenant.md), not a use case; "
        "only use cases can be selected\n"
    )
    assert snapshot(example) == before


def misspell_partners(root: Path) -> int:
    """Misspell 'partners' in the use case OTHER; return the line of the misspelling."""
    path = root / "usecases" / f"{OTHER}.md"
    path.write_bytes(path.read_bytes().replace(b"partners:", b"partner:"))
    return path.read_text(encoding="utf-8").splitlines().index("partner:") + 1


def put_score_off_scale(root: Path) -> None:
    """Give the selected use case a capacity score above the scale."""
    path = root / "usecases" / f"{SELECTED}.md"
    path.write_bytes(path.read_bytes().replace(b"  capacity: 3\n", b"  capacity: 9\n"))


def refusal(example: Path, tde: Callable[..., Run]) -> str:
    """What 'tde select OTHER' says on stderr, having exited 1 and written nothing."""
    before = snapshot(example)
    run = tde("select", OTHER, cwd=example)
    assert run.exit_code == 1
    assert snapshot(example) == before
    return run.stderr


def test_invalid_target(example: Path, tde: Callable[..., Run]) -> None:
    """A use case file with an error is refused with its located problem; nothing is written."""
    line = misspell_partners(example)
    assert refusal(example, tde) == (
        f"error: nothing changed: usecases/{OTHER}.md has an error; fix it first: "
        f"usecases/{OTHER}.md:{line}:1: unknown field 'partner'; did you mean 'partners'? [unknown-field]\n"
    )


def test_invalid_previous_selection(example: Path, tde: Callable[..., Run]) -> None:
    """A previously selected use case with an error blocks the change too."""
    put_score_off_scale(example)
    stderr = refusal(example, tde)
    assert f"usecases/{SELECTED}.md" in stderr
    assert "[score-off-scale]" in stderr


def test_several_errors_are_refused_in_one_line(example: Path, tde: Callable[..., Run]) -> None:
    """Errors in both files: one line names both, shows the first error and counts the rest."""
    line = misspell_partners(example)
    put_score_off_scale(example)
    assert refusal(example, tde) == (
        f"error: nothing changed: usecases/{OTHER}.md and usecases/{SELECTED}.md have 2 errors; "
        f"fix them first: usecases/{OTHER}.md:{line}:1: unknown field 'partner'; did you mean "
        "'partners'? [unknown-field] (and 1 more: run 'tde validate')\n"
    )


def test_read_only_file(example: Path, tde: Callable[..., Run]) -> None:
    """A read-only use case file is refused clearly, and no temporary file is left behind."""
    path = example / "usecases" / f"{SELECTED}.md"
    path.chmod(0o444)
    before = snapshot(example)
    run = tde("select", OTHER, cwd=example)
    assert run.exit_code == 1
    assert run.stderr == (
        f"error: nothing changed: usecases/{SELECTED}.md is read-only; make it writable "
        "(chmod u+w) and try again\n"
    )
    assert snapshot(example) == before  # neither file changed, and no file appeared
    assert not [p.name for p in (example / "usecases").iterdir() if p.name.startswith(".")]


def test_failed_write_is_undone(
    example: Path, tde: Callable[..., Run], monkeypatch: pytest.MonkeyPatch
) -> None:
    """If the second write fails after the first succeeded, the first file is put back."""
    real = fsio.write_file

    def failing(path: Path, data: bytes, **kwargs: object) -> None:
        if path.name == f"{SELECTED}.md" and b"status: shortlisted" in data:
            raise RefusedWrite(f"cannot write usecases/{SELECTED}.md: No space left on device")
        real(path, data, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(fsio, "write_file", failing)
    before = snapshot(example)
    run = tde("select", OTHER, cwd=example)
    assert run.exit_code == 1
    assert run.stderr == (
        f"error: nothing changed: cannot write usecases/{SELECTED}.md: No space left on device\n"
    )
    assert snapshot(example) == before


def test_symlinked_file_is_refused(example: Path, tde: Callable[..., Run]) -> None:
    """A use case file that is a link is not written through."""
    path = example / "usecases" / f"{OTHER}.md"
    real = example / f"{OTHER}.md.real"
    path.rename(real)
    path.symlink_to(real)
    before = snapshot(example)
    run = tde("select", OTHER, cwd=example)
    assert run.exit_code == 1
    assert "is a symbolic link; tde does not write through links" in run.stderr
    assert snapshot(example) == before


def test_use_case_folder_linked_out_of_the_project_is_refused(
    example: Path, tde: Callable[..., Run], tmp_path: Path
) -> None:
    """usecases/ as a link leading out of the project: select writes nothing there, exit 1."""
    elsewhere = tmp_path / "elsewhere"
    (example / "usecases").rename(elsewhere)
    (example / "usecases").symlink_to(elsewhere)
    outside = {p.name: p.read_bytes() for p in elsewhere.iterdir()}
    before = snapshot(example)
    run = tde("select", OTHER, cwd=example)
    assert run.exit_code == 1
    assert run.stderr == (
        f"error: nothing changed: usecases/ is a link to {elsewhere}, outside the project; "
        "tde does not read or write through it\n"
    )
    assert {p.name: p.read_bytes() for p in elsewhere.iterdir()} == outside
    assert snapshot(example) == before


@pytest.mark.slow
def test_concurrent_selects_leave_one_selected(example: Path) -> None:
    """Two tde select processes started together never leave two use cases selected."""
    command = [sys.executable, "-m", "tdekit", "--project", str(example), "select"]
    for _ in range(3):
        processes = [
            subprocess.Popen([*command, name], stdout=subprocess.PIPE, stderr=subprocess.PIPE)
            for name in (OTHER, "rental-assistance-reach")
        ]
        results = [p.communicate(timeout=60) for p in processes]
        assert [p.returncode for p in processes] == [0, 0], results
        chosen = [k for k, v in statuses(example).items() if v == "selected"]
        assert len(chosen) == 1, chosen
        assert chosen[0] in (OTHER, "rental-assistance-reach")
    run = subprocess.run(
        [sys.executable, "-m", "tdekit", "--project", str(example), "validate"],
        capture_output=True, text=True, check=False,
    )
    assert "several-selected" not in run.stdout
