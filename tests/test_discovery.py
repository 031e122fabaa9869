"""Finding the project: the nearest tde.yaml upwards, or --project before or after the command."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from conftest import Run


def ids(run: Run) -> list[str]:
    assert run.exit_code == 0, run
    return [record["id"] for record in json.loads(run.stdout)]


def test_commands_find_the_project_from_a_subfolder(tde: Callable[..., Run], example: Path) -> None:
    """From deep inside the project, commands walk up to the nearest tde.yaml."""
    deep = example / "interviews" / "notes" / "2026"
    deep.mkdir(parents=True)
    from_root = ids(tde("list", "--format", "json", cwd=example))
    assert ids(tde("list", "--format", "json", cwd=deep)) == from_root
    result = tde("new", "persona", "Found from below", cwd=deep)
    assert result.exit_code == 0, result
    assert (example / "personas" / "found-from-below.md").is_file()
    assert not (deep / "personas").exists()


def test_the_nearest_project_wins(tde: Callable[..., Run], example: Path) -> None:
    """A project nested inside another is found before the outer one."""
    inner = example / "pilots" / "transit"
    assert tde("init", str(inner), "--no-git").exit_code == 0
    assert ids(tde("list", "--format", "json", cwd=inner)) == []
    assert tde("new", "interview", "Bus rider", cwd=inner / "interviews").exit_code == 0
    assert (inner / "interviews" / "bus-rider.md").is_file()
    assert not (example / "interviews" / "bus-rider.md").exists()


@pytest.mark.parametrize("place", ["before", "after"])
@pytest.mark.parametrize("form", ["--project", "-p"])
def test_project_option_before_or_after_the_command(
    tde: Callable[..., Run], example: Path, tmp_path: Path, place: str, form: str
) -> None:
    """--project (or -p) works as a global option before the command and as its own after it."""
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    expected = ids(tde("list", "--format", "json", cwd=example))
    args = ["list", "--format", "json"]
    args = [form, str(example), *args] if place == "before" else [*args, form, str(example)]
    assert ids(tde(*args, cwd=elsewhere)) == expected

    new = ["new", "plan", f"Plan {place} {form}"]
    new = [form, str(example), *new] if place == "before" else [*new, form, str(example)]
    result = tde(*new, cwd=elsewhere)
    assert result.exit_code == 0, result
    assert Path(result.stdout.strip()).parent == example / "plans"
    assert list(elsewhere.iterdir()) == []


def test_a_relative_project_path_is_taken_from_the_current_folder(
    tde: Callable[..., Run], example: Path
) -> None:
    """--project accepts a path relative to where the command runs."""
    result = tde("--project", example.name, "list", "--format", "json", cwd=example.parent)
    assert ids(result)


def test_the_commands_own_project_option_beats_the_global_one(
    tde: Callable[..., Run], example: Path, empty_project: Path
) -> None:
    """Given both, the --project after the command is the one used."""
    result = tde("-p", str(example), "list", "--format", "json", "-p", str(empty_project))
    assert ids(result) == []


def test_no_project_is_a_usage_error(tde: Callable[..., Run], tmp_path: Path) -> None:
    """Outside any project, commands exit 2 with one line saying what to do."""
    for args in (["list"], ["new", "interview", "Maria"]):
        result = tde(*args, cwd=tmp_path)
        assert result.exit_code == 2
        assert result.stdout == ""
        assert result.stderr == (
            f"error: no tde.yaml found in {tmp_path} or any folder above it; "
            "run 'tde init' to start a project, or pass --project DIR\n"
        )
    assert list(tmp_path.iterdir()) == []


def test_a_project_option_without_tde_yaml_is_a_usage_error(
    tde: Callable[..., Run], tmp_path: Path
) -> None:
    """--project pointing at a folder that is not a project exits 2 and names it."""
    result = tde("--project", str(tmp_path), "list")
    assert result.exit_code == 2
    assert result.stderr == f"error: {tmp_path} is not a tde project: it has no tde.yaml\n"


def test_a_project_option_to_a_missing_folder_is_a_usage_error(
    tde: Callable[..., Run], tmp_path: Path
) -> None:
    """--project to a folder that does not exist exits 2 and says it does not exist."""
    result = tde("list", "--project", str(tmp_path / "missing"))
    assert result.exit_code == 2
    assert result.stderr == f"error: {tmp_path / 'missing'}: no such folder\n"


def test_a_broken_settings_file_still_marks_the_project(
    tde: Callable[..., Run], empty_project: Path
) -> None:
    """A tde.yaml that is not valid UTF-8 is still where the project is; new does not need it."""
    (empty_project / "tde.yaml").write_bytes(b"name: caf\xe9\n")
    result = tde("new", "interview", "Maria", cwd=empty_project / "personas")
    assert result.exit_code == 0, result
    assert result.stdout == "../interviews/maria.md\n"


def test_installed_entry_points_report_errors_without_a_traceback(tmp_path: Path) -> None:
    """'python -m tdekit' outside a project prints one error line and exits 2, no traceback."""
    env = {**os.environ, "NO_COLOR": "1"}
    done = subprocess.run(
        [sys.executable, "-m", "tdekit", "list"], cwd=tmp_path, capture_output=True, text=True, env=env
    )
    assert done.returncode == 2
    assert done.stdout == ""
    assert done.stderr.startswith("error: no tde.yaml found in ")
    assert done.stderr.count("\n") == 1
    version = subprocess.run(
        [sys.executable, "-m", "tdekit", "--version"], capture_output=True, text=True, check=True
    )
    assert version.stdout.startswith("tde ")


def test_a_deleted_current_folder_is_one_clear_error(
    tde: Callable[..., Run], example: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Run from a folder that no longer exists, commands say so instead of a traceback."""
    gone = tmp_path / "gone"
    gone.mkdir()
    monkeypatch.chdir(gone)
    gone.rmdir()
    for args in (["list"], ["init"]):
        result = tde(*args)
        assert result.exit_code == 2
        assert result.stderr.startswith("error: the current folder no longer exists; cd ")
    result = tde("--project", str(example), "new", "persona", "From nowhere")
    assert result.exit_code == 0, result
    assert result.stdout == f"{example / 'personas' / 'from-nowhere.md'}\n"
