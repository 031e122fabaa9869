"""``tde init``: the folders, a commented tde.yaml, git, the example, and never a clobbered file."""

from __future__ import annotations

import subprocess
from collections.abc import Callable
from pathlib import Path

import pytest

from conftest import EXAMPLES, Run, git
from tdekit.records.frontmatter import read_yaml
from tdekit.records.project import load_settings

FOLDERS = ["feedback", "interviews", "personas", "plans", "signals", "updates", "usecases"]


def snapshot(folder: Path) -> dict[str, bytes | None]:
    """Every path under ``folder`` with its bytes (None for folders), to prove nothing changed."""
    return {
        p.relative_to(folder).as_posix(): (None if p.is_dir() else p.read_bytes())
        for p in sorted(folder.rglob("*"))
        if ".git" not in p.relative_to(folder).parts
    }


def inside_git(folder: Path) -> bool:
    done = subprocess.run(
        ["git", "rev-parse", "--is-inside-work-tree"], cwd=folder, capture_output=True, text=True
    )
    return done.returncode == 0


def test_fresh_init_creates_the_folders_and_a_commented_settings_file(
    tde: Callable[..., Run], tmp_path: Path
) -> None:
    """A fresh project has the six record folders, a .gitignore and a tde.yaml that validates,
    with a warning for each value left for the team to replace."""
    root = tmp_path / "bus-data_project"
    result = tde("init", str(root), "--no-git")
    assert result.exit_code == 0, result
    assert result.stdout == f"{root}\n"
    assert f"Created a tde project in {root}" in result.stderr
    assert sorted(p.name for p in root.iterdir()) == [".gitignore", *FOLDERS[:5], "tde.yaml", *FOLDERS[5:]]
    assert (root / ".gitignore").read_text() == "# tde's cache and lock\n.tde-cache/\n"

    settings, problems = load_settings(root)
    assert [(p.severity, p.code, p.message.split()[0]) for p in problems] == [
        ("warning", "template-text", "organization"), ("warning", "template-text", "focus_area")
    ]
    assert settings is not None
    assert settings["name"] == "Bus data project"
    assert settings["scoring"]["scale"] == (1, 5)
    criteria = settings["scoring"]["criteria"]
    assert list(criteria) == ["capacity", "interest", "partner_support", "data_gap", "impact"]
    assert all(c["weight"] > 0 and c["meaning"] for c in criteria.values())

    text = (root / "tde.yaml").read_text()
    comments = [line for line in text.splitlines() if line.lstrip().startswith("#")]
    assert len(comments) >= 5
    assert "scale: [1, 5]            # lowest and highest score" in text
    assert "Step 1 (Find)" in text


def test_init_names_the_project_with_any_text(tde: Callable[..., Run], tmp_path: Path) -> None:
    """--name is written so that it reads back exactly, quotes, colons and '#' included."""
    name = 'Lakeside: "bus" data #1 {{ 7*7 }}'
    result = tde("init", str(tmp_path / "p"), "--name", name, "--no-git")
    assert result.exit_code == 0, result
    doc = read_yaml((tmp_path / "p" / "tde.yaml").read_bytes(), "tde.yaml")
    assert doc.problems == []
    assert doc.data is not None and doc.data["name"] == name


@pytest.mark.parametrize("name", ["", "   ", "two\nlines"])
def test_init_refuses_a_blank_or_broken_name(tde: Callable[..., Run], tmp_path: Path, name: str) -> None:
    """A blank or multi-line --name is a usage error and nothing is created."""
    result = tde("init", str(tmp_path / "p"), "--name", name, "--no-git")
    assert result.exit_code == 2
    assert result.stderr == "error: --name must be one line of text\n"
    assert not (tmp_path / "p").exists()


def test_init_outside_git_runs_git_init(tde: Callable[..., Run], tmp_path: Path) -> None:
    """Outside any git work tree, init makes the project a git repository of its own."""
    assert not inside_git(tmp_path)
    root = tmp_path / "project"
    result = tde("init", str(root))
    assert result.exit_code == 0, result
    assert "Initialised a git repository." in result.stderr
    assert Path(git(root, "rev-parse", "--show-toplevel").strip()) == root
    assert git(root, "status", "--porcelain", "--untracked-files=all").splitlines() == [
        "?? .gitignore",
        "?? tde.yaml",
    ]


def test_init_inside_a_git_work_tree_leaves_git_alone(tde: Callable[..., Run], tmp_path: Path) -> None:
    """Inside an existing repository no nested repository is made."""
    git(tmp_path, "init", "--quiet")
    root = tmp_path / "docs" / "tde"
    result = tde("init", str(root))
    assert result.exit_code == 0, result
    assert "Already inside a git work tree; left it as it is." in result.stderr
    assert not (root / ".git").exists()
    assert Path(git(root, "rev-parse", "--show-toplevel").strip()) == tmp_path


def test_init_no_git_makes_no_repository(tde: Callable[..., Run], tmp_path: Path) -> None:
    """--no-git skips git entirely."""
    result = tde("init", str(tmp_path / "p"), "--no-git")
    assert result.exit_code == 0, result
    assert not (tmp_path / "p" / ".git").exists()
    assert "repository" not in result.stderr and "work tree" not in result.stderr


def test_init_in_the_current_folder(tde: Callable[..., Run], tmp_path: Path) -> None:
    """Without DIR, init sets up the folder it runs in."""
    result = tde("init", "--no-git", cwd=tmp_path)
    assert result.exit_code == 0, result
    assert (tmp_path / "tde.yaml").is_file()
    assert result.stdout == f"{tmp_path}\n"


@pytest.mark.parametrize("where", ["before", "after"])
def test_init_takes_the_global_project_option_as_its_folder(
    tde: Callable[..., Run], tmp_path: Path, where: str
) -> None:
    """'tde --project DIR init' sets up DIR, not the current folder."""
    args = ["--project", "p", "init", "--no-git"] if where == "before" else ["init", "p", "--no-git"]
    result = tde(*args, cwd=tmp_path)
    assert result.exit_code == 0, result
    assert (tmp_path / "p" / "tde.yaml").is_file()
    assert not (tmp_path / "tde.yaml").exists()


@pytest.mark.parametrize("example", [False, True])
def test_init_on_an_existing_project_exits_1_and_changes_nothing(
    tde: Callable[..., Run], tmp_path: Path, example: bool
) -> None:
    """A second init, with or without --example, refuses and leaves every byte as it was."""
    root = tmp_path / "p"
    assert tde("init", str(root)).exit_code == 0
    (root / "tde.yaml").write_text("name: edited by hand\n")
    before = snapshot(root)
    head = git(root, "status", "--porcelain")
    result = tde("init", str(root), *(["--example"] if example else []))
    assert result.exit_code == 1
    assert result.stdout == ""
    assert result.stderr == f"error: {root} is already a tde project: tde.yaml exists there\n"
    assert snapshot(root) == before
    assert git(root, "status", "--porcelain") == head


def test_init_into_a_folder_with_its_own_files_keeps_them(
    tde: Callable[..., Run], tmp_path: Path
) -> None:
    """A non-empty folder gets the project beside its files; its own .gitignore is not touched."""
    root = tmp_path / "team"
    (root / "interviews").mkdir(parents=True)
    (root / "interviews" / "notes.txt").write_text("keep me\n")
    (root / ".gitignore").write_text("node_modules/\n")
    result = tde("init", str(root), "--no-git")
    assert result.exit_code == 0, result
    assert (root / ".gitignore").read_text() == "node_modules/\n"
    assert (root / "interviews" / "notes.txt").read_text() == "keep me\n"
    assert (root / "tde.yaml").is_file()
    # tde's folder ignores itself, so there is nothing to add to the team's .gitignore.
    assert "Note:" not in result.stderr


def test_init_refuses_a_file_where_a_record_folder_belongs(
    tde: Callable[..., Run], tmp_path: Path
) -> None:
    """A file named like a record folder stops init before anything is written."""
    root = tmp_path / "p"
    root.mkdir()
    (root / "plans").write_text("my plans\n")
    result = tde("init", str(root), "--no-git")
    assert result.exit_code == 1
    assert result.stderr == f"error: refusing to overwrite existing files in {root}: plans (not a folder)\n"
    assert snapshot(root) == {"plans": b"my plans\n"}


def test_init_refuses_a_path_that_is_a_file(tde: Callable[..., Run], tmp_path: Path) -> None:
    """DIR must be a folder: a file there is a usage error."""
    (tmp_path / "file").write_text("x")
    result = tde("init", str(tmp_path / "file"), "--no-git")
    assert result.exit_code == 2
    assert (tmp_path / "file").read_text() == "x"


def test_init_example_copies_every_file_of_the_example(tde: Callable[..., Run], tmp_path: Path) -> None:
    """--example fills the folder with the shipped example, byte for byte, and it loads cleanly."""
    root = tmp_path / "riverton"
    result = tde("init", str(root), "--example", "--no-git")
    assert result.exit_code == 0, result
    shipped = {
        p.relative_to(EXAMPLES).as_posix()
        for p in EXAMPLES.rglob("*")
        if p.is_file() and ".tde-cache" not in p.parts  # a cache of a local run is no example
    }
    assert len(shipped) > 10
    made = {p.relative_to(root).as_posix() for p in root.rglob("*") if p.is_file()}
    assert made == shipped | {".gitignore"}
    for rel in shipped:
        assert (root / rel).read_bytes() == (EXAMPLES / rel).read_bytes(), rel
    listed = tde("list", "--format", "json", cwd=root)
    assert listed.exit_code == 0, listed
    assert "Next: try 'tde list'" in result.stderr


def test_init_example_with_a_name_changes_only_the_name_line(
    tde: Callable[..., Run], tmp_path: Path
) -> None:
    """--name with --example rewrites one line of the example's tde.yaml, comments and all kept."""
    root = tmp_path / "lakeside"
    result = tde("init", str(root), "--example", "--name", "Lakeside: housing #2", "--no-git")
    assert result.exit_code == 0, result
    old = (EXAMPLES / "tde.yaml").read_text().splitlines()
    new = (root / "tde.yaml").read_text().splitlines()
    assert len(old) == len(new)
    changed = [(a, b) for a, b in zip(old, new, strict=True) if a != b]
    assert len(changed) == 1
    assert changed[0][1] == 'name: "Lakeside: housing #2"'
    settings, problems = load_settings(root)
    assert problems == []
    assert settings is not None and settings["name"] == "Lakeside: housing #2"


def test_init_example_refuses_to_overwrite_a_clashing_record(
    tde: Callable[..., Run], tmp_path: Path
) -> None:
    """A file that the example would replace stops init; nothing at all is written."""
    record = next((EXAMPLES / "interviews").glob("*.md"))
    root = tmp_path / "p"
    (root / "interviews").mkdir(parents=True)
    (root / "interviews" / record.name).write_text("mine\n")
    before = snapshot(root)
    result = tde("init", str(root), "--example", "--no-git")
    assert result.exit_code == 1
    assert result.stderr == (
        f"error: refusing to overwrite existing files in {root}: interviews/{record.name}\n"
    )
    assert snapshot(root) == before


@pytest.mark.parametrize("folder", FOLDERS)
def test_init_example_refuses_a_record_folder_linked_out_of_the_project(
    tde: Callable[..., Run], tmp_path: Path, folder: str
) -> None:
    """A record folder that is a link to a folder elsewhere is not written through: one line, exit 1, nothing written."""
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    root = tmp_path / "p"
    root.mkdir()
    (root / folder).symlink_to(elsewhere)
    before = snapshot(root)
    result = tde("init", str(root), "--example", "--no-git")
    assert result.exit_code == 1
    assert result.stderr == (
        f"error: nothing written: {folder}/ is a link to {elsewhere}, outside the project; "
        "tde does not write through it\n"
    )
    assert snapshot(root) == before
    assert list(elsewhere.iterdir()) == []


def test_init_example_writes_through_a_link_inside_the_project(
    tde: Callable[..., Run], tmp_path: Path
) -> None:
    """A record folder linked to another folder of the same project is the team's layout: it is used."""
    root = tmp_path / "p"
    (root / "notes" / "interviews").mkdir(parents=True)
    (root / "interviews").symlink_to(root / "notes" / "interviews")
    result = tde("init", str(root), "--example", "--no-git")
    assert result.exit_code == 0, result
    assert sorted(p.name for p in (root / "notes" / "interviews").iterdir()) == sorted(
        p.name for p in (EXAMPLES / "interviews").iterdir()
    )
