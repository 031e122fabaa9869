"""``tde validate`` end to end: output forms, exit codes, PATHS, links, and the shipped example."""

from __future__ import annotations

import json
import os
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest

from conftest import EXAMPLES, Run
from tdekit.records.project import load_project
from tdekit.validate import validate_project
from test_validate_corpus import BASE, lay_out, run_validate, tree_digest

BROKEN_PERSONA = "---\nid: night-rider\ntitle: Night rider\nrole: Rides late\ninterviews: [nobody]\n---\n"
EMPTY = ""


def test_example_project_validates_cleanly(tde: Callable[..., Run], example: Path) -> None:
    """The shipped example has no problem at all, not even a warning, and validate says so."""
    records = len(list(example.glob("*/*.md")))
    result = run_validate(tde, example, "--strict")
    assert (result.exit_code, result.stdout) == (0, "")
    assert result.stderr == f"{records} records checked: no problems\n"


def test_project_option_from_elsewhere(tde: Callable[..., Run], example: Path, tmp_path: Path) -> None:
    """--project (after the command or before it) points at the project from another folder."""
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    before = tree_digest(example)
    for args in (("validate", "--project", str(example)), ("--project", str(example), "validate")):
        result = tde(*args, "--format", "json", cwd=elsewhere)
        assert (result.exit_code, json.loads(result.stdout)) == (0, [])
    assert tree_digest(example) == before
    assert list(elsewhere.iterdir()) == []


def test_json_output_has_the_fields_of_the_brief(tde: Callable[..., Run], tmp_path: Path) -> None:
    """--format json gives one object per problem with path, line, column, severity, code, message."""
    root = lay_out(tmp_path, {"personas/night-rider.md": BROKEN_PERSONA.encode(),
                              "interviews/empty.md": EMPTY.encode()})
    result = run_validate(tde, root, "--format", "json")
    assert result.exit_code == 1
    assert json.loads(result.stdout) == [
        {"path": "interviews/empty.md", "line": 1, "column": 1, "severity": "error",
         "code": "empty-file", "message": "the file is empty"},
        {"path": "personas/night-rider.md", "line": 5, "column": 14, "severity": "error",
         "code": "unknown-reference",
         "message": "'nobody' in interviews is not an interview of this project (no interviews/nobody.md)"},
    ]
    assert result.stderr == "8 records checked: 2 errors in 2 files\n"


def test_text_paths_are_relative_to_the_current_folder(tde: Callable[..., Run], tmp_path: Path) -> None:
    """From a subfolder, text output names files from there (editors can open them); JSON keeps
    paths from the project folder."""
    root = lay_out(tmp_path, {"personas/night-rider.md": BROKEN_PERSONA.encode(),
                              "interviews/empty.md": EMPTY.encode()})
    text = run_validate(tde, root / "interviews")
    assert text.stdout == (
        "empty.md:1:1: error: the file is empty [empty-file]\n"
        "../personas/night-rider.md:5:14: error: 'nobody' in interviews is not an interview of "
        "this project (no interviews/nobody.md) [unknown-reference]\n"
    )
    data = run_validate(tde, root / "interviews", "--format", "json")
    assert [p["path"] for p in json.loads(data.stdout)] == ["interviews/empty.md", "personas/night-rider.md"]
    assert run_validate(tde, root).stdout.startswith("interviews/empty.md:1:1: ")


def test_summary_counts_errors_warnings_and_files(tde: Callable[..., Run], tmp_path: Path) -> None:
    """The summary on stderr counts errors and warnings and the files they are in."""
    usecase = (BASE / "usecases/bus-times.md").read_text().replace("  interest: 4\n", "")
    root = lay_out(tmp_path, {"usecases/bus-times.md": usecase.encode(),
                              "personas/night-rider.md": BROKEN_PERSONA.encode(),
                              "interviews/empty.md": EMPTY.encode()})
    result = run_validate(tde, root)
    assert result.exit_code == 1
    assert result.stderr == "8 records checked: 2 errors, 1 warning in 3 files\n"
    assert [line.split(": ")[1] for line in result.stdout.splitlines()] == ["error", "error", "warning"]


def test_warnings_fail_only_with_strict(tde: Callable[..., Run], tmp_path: Path) -> None:
    """A warning alone exits 0, and 1 with --strict; the output is the same either way."""
    usecase = (BASE / "usecases/bus-times.md").read_text().replace("  interest: 4\n", "")
    root = lay_out(tmp_path, {"usecases/bus-times.md": usecase.encode()})
    relaxed = run_validate(tde, root)
    strict = run_validate(tde, root, "--strict")
    assert (relaxed.exit_code, strict.exit_code) == (0, 1)
    assert relaxed.stdout == strict.stdout == (
        "usecases/bus-times.md:7:1: warning: no score yet for the criterion interest [missing-score]\n"
    )


def test_paths_limit_output_to_a_file(tde: Callable[..., Run], tmp_path: Path) -> None:
    """A file given as PATH shows only its problems, and the exit code follows them."""
    root = lay_out(tmp_path, {"personas/night-rider.md": BROKEN_PERSONA.encode(),
                              "interviews/empty.md": EMPTY.encode()})
    result = run_validate(tde, root, "personas/night-rider.md")
    assert result.exit_code == 1
    assert result.stdout.startswith("personas/night-rider.md:5:14: error:")
    assert len(result.stdout.splitlines()) == 1
    assert result.stderr == "1 record checked: 1 error in 1 file\n"
    clean = run_validate(tde, root, "usecases", "plans/bus-times-plan.md")
    assert (clean.exit_code, clean.stdout) == (0, "")
    assert clean.stderr == "2 records checked: no problems\n"


def test_paths_are_taken_from_the_current_folder(tde: Callable[..., Run], tmp_path: Path) -> None:
    """Run inside a kind folder, '.' means that folder and the project is found upwards."""
    root = lay_out(tmp_path, {"personas/night-rider.md": BROKEN_PERSONA.encode(),
                              "interviews/empty.md": EMPTY.encode()})
    result = run_validate(tde, root / "personas", ".")
    assert result.exit_code == 1
    assert result.stdout.splitlines() == [
        "night-rider.md:5:14: error: 'nobody' in interviews is not an interview of this "
        "project (no interviews/nobody.md) [unknown-reference]"
    ]


def test_paths_outside_the_project_or_missing_are_usage_errors(
    tde: Callable[..., Run], tmp_path: Path
) -> None:
    """A PATH that does not exist or lies outside the project exits 2 with one line on stderr."""
    root = lay_out(tmp_path, {})
    (tmp_path / "elsewhere.md").write_text("---\nid: x\n---\n")
    missing = tde("validate", "interviews/nope.md", cwd=root)
    assert missing.exit_code == 2
    assert missing.stderr == "error: interviews/nope.md: no such file or folder\n"
    outside = tde("validate", "../elsewhere.md", cwd=root)
    assert outside.exit_code == 2
    assert outside.stderr == f"error: ../elsewhere.md is not inside the project folder {root.resolve()}\n"


def test_unknown_format_is_a_usage_error(tde: Callable[..., Run], tmp_path: Path) -> None:
    """--format with an unknown value exits 2 and writes nothing to stdout."""
    root = lay_out(tmp_path, {})
    result = tde("validate", "--format", "yaml", cwd=root)
    assert (result.exit_code, result.stdout) == (2, "")
    assert "choose one of: text, json" in result.stderr


def test_outside_a_project_exits_2(tde: Callable[..., Run], tmp_path: Path) -> None:
    """Without a tde.yaml above the current folder validate exits 2 and says how to start one."""
    result = tde("validate", cwd=tmp_path)
    assert result.exit_code == 2
    assert "no tde.yaml found" in result.stderr
    assert result.stdout == ""


def test_broken_settings_are_shown_even_outside_paths(tde: Callable[..., Run], tmp_path: Path) -> None:
    """When tde.yaml cannot be used its problems are shown whatever the PATHS, and exit is 2."""
    settings = (BASE / "tde.yaml").read_text().replace("weight: 0.5\n      meaning: Staff", "weight: -2\n      meaning: Staff")
    root = lay_out(tmp_path, {"tde.yaml": settings.encode()})
    result = run_validate(tde, root, "interviews")
    assert result.exit_code == 2
    assert result.stdout == (
        "tde.yaml:9:15: error: a weight cannot be negative [invalid-value]\n"
    )
    assert result.stderr.endswith(
        "error: tde.yaml cannot be used until the problems above are fixed\n"
    )


def test_link_out_of_the_project_is_refused_unread(tde: Callable[..., Run], tmp_path: Path) -> None:
    """A record that is a symbolic link to a file outside the project is refused and not read."""
    root = lay_out(tmp_path, {})
    secret = tmp_path / "secret.md"
    secret.write_text("---\nid: secret\ntitle: SECRET-CONTENT: yes\n---\n")
    (root / "interviews/leak.md").symlink_to(secret)
    result = run_validate(tde, root)
    assert result.exit_code == 1
    assert result.stdout == (
        f"interviews/leak.md: error: the file is a link to {secret.resolve()}, outside the project; "
        "tde does not follow it [symlink-outside]\n"
    )
    assert "SECRET-CONTENT" not in result.stdout + result.stderr


def test_a_choice_left_empty_reads_as_empty_with_its_choices(
    tde: Callable[..., Run], empty_project: Path
) -> None:
    """An enumeration with no value (a new interview, an empty status) is empty, not a wrong type."""
    assert tde("new", "interview", "X", cwd=empty_project).exit_code == 0
    (empty_project / "usecases/y.md").write_text("---\nid: y\ntitle: Y\nstatus:\n---\n")
    result = run_validate(tde, empty_project, "interviews/x.md", "usecases/y.md")
    assert result.exit_code == 1
    assert [line for line in result.stdout.splitlines() if not line.endswith("[template-text]")] == [
        "interviews/x.md:6:13: error: interviewee is empty [empty-value]",
        "interviews/x.md:8:18: error: stakeholder_type is empty; choose one of: resident, "
        "community_group, nonprofit, researcher, journalist, civic_technologist, business, "
        "government, other [empty-value]",
        "usecases/y.md:2:1: warning: no score yet for the criteria capacity, interest, "
        "partner_support, data_gap, impact [missing-score]",
        "usecases/y.md:4:8: error: status is empty; choose one of: candidate, shortlisted, "
        "selected, parked [empty-value]",
    ]


def test_record_folder_linked_out_of_the_project_is_refused_unread(
    tde: Callable[..., Run], tmp_path: Path
) -> None:
    """A kind folder that is a link leading out of the project is one error, and is not read."""
    root = lay_out(tmp_path, {})
    elsewhere = tmp_path / "elsewhere"
    (root / "usecases").rename(elsewhere)
    (elsewhere / "secret.md").write_text("---\nid: secret\ntitle: SECRET-CONTENT\nstatus: x\n---\n")
    (root / "usecases").symlink_to(elsewhere)
    result = run_validate(tde, root)
    assert result.exit_code == 1
    assert result.stdout == (
        f"usecases: error: the folder is a link to {elsewhere}, outside the project; tde does not "
        "follow it, so its records are not read [symlink-outside]\n"
    )
    listed = tde("list", "--format", "json", cwd=root)
    assert "SECRET-CONTENT" not in listed.stdout + listed.stderr
    assert not [r for r in json.loads(listed.stdout) if r["kind"] == "usecase"]


def test_record_folder_linked_within_the_project_is_read(
    tde: Callable[..., Run], tmp_path: Path
) -> None:
    """A kind folder that is a link to another folder of the project is read like any other."""
    root = lay_out(tmp_path, {})
    records = len(list(root.glob("*/*.md")))
    (root / "usecases").rename(root / "shared")
    (root / "usecases").symlink_to(root / "shared")
    result = run_validate(tde, root)
    assert (result.exit_code, result.stdout) == (0, "")
    assert result.stderr == f"{records} records checked: no problems\n"


def test_link_within_the_project_is_read(tde: Callable[..., Run], tmp_path: Path) -> None:
    """A record that links to a file inside the project is read like any other."""
    root = lay_out(tmp_path, {})
    shared = root / "shared"
    shared.mkdir()
    (shared / "night-rider.md").write_text(BROKEN_PERSONA)
    (root / "personas/night-rider.md").symlink_to(shared / "night-rider.md")
    result = run_validate(tde, root)
    assert result.stdout.startswith("personas/night-rider.md:5:14: error: 'nobody' in interviews")


def test_a_folder_named_like_a_record_is_reported(tde: Callable[..., Run], tmp_path: Path) -> None:
    """A folder called x.md among the records is reported as not a file, not a crash."""
    root = lay_out(tmp_path, {})
    (root / "personas/odd.md").mkdir()
    result = run_validate(tde, root)
    assert result.exit_code == 1
    assert result.stdout == (
        "personas/odd.md: error: this is not a regular file; tde reads only files [not-a-file]\n"
    )


def test_other_files_are_ignored(tde: Callable[..., Run], tmp_path: Path) -> None:
    """Files that are not records (notes, hidden files, files outside the kind folders) are left alone."""
    root = lay_out(tmp_path, {"interviews/notes.txt": b"\x00 not a record",
                              "interviews/.draft.md": b"---\nbroken: [\n---\n",
                              "README.md": b"# Our project\n"})
    result = run_validate(tde, root)
    assert (result.exit_code, result.stdout) == (0, "")


def test_every_problem_of_every_file_in_one_run(tde: Callable[..., Run], tmp_path: Path) -> None:
    """Many broken files across all kinds: each one's problems are reported, sorted by path and line."""
    overlay = {}
    for folder in ("interviews", "personas", "usecases", "plans", "feedback"):
        overlay[f"{folder}/bad-a.md"] = b"---\nid: bad-a\ntitle: Broken: colon\n---\n"
        overlay[f"{folder}/bad-b.md"] = b"---\nid: bad-b\n"
    root = lay_out(tmp_path, overlay)
    result = run_validate(tde, root)
    lines = result.stdout.splitlines()
    assert len(lines) == 10
    assert [line.split(":")[0] for line in lines] == sorted(line.split(":")[0] for line in lines)
    assert all(line.endswith(("[yaml-syntax]", "[unclosed-front-matter]")) for line in lines)


def test_validate_project_returns_sorted_problems(tmp_path: Path) -> None:
    """validate_project gives file and project problems together, in path and line order."""
    root = lay_out(tmp_path, {"personas/night-rider.md": BROKEN_PERSONA.encode(),
                              "interviews/empty.md": EMPTY.encode(),
                              "personas/aaa.md": b"---\nid: zzz\ntitle: A\nrole: R\n---\n"})
    problems = validate_project(load_project(root))
    assert [(p.path, p.line, p.code) for p in problems] == [
        ("interviews/empty.md", 1, "empty-file"),
        ("personas/aaa.md", 2, "id-mismatch"),
        ("personas/night-rider.md", 5, "unknown-reference"),
    ]


@pytest.mark.usefixtures("story_day")
def test_example_copy_without_git_also_validates(tde: Callable[..., Run], tmp_path: Path) -> None:
    """Validation does not depend on git: a plain copy of the example is clean too."""
    root = tmp_path / "plain"
    shutil.copytree(EXAMPLES, root)
    result = run_validate(tde, root)
    assert (result.exit_code, result.stdout) == (0, "")


def test_settings_in_utf16_are_located_and_exit_2(tde: Callable[..., Run], tmp_path: Path) -> None:
    """A tde.yaml saved as UTF-16 is reported at its first line and the run exits 2."""
    settings = (BASE / "tde.yaml").read_text().encode("utf-16")
    root = lay_out(tmp_path, {"tde.yaml": settings})
    result = run_validate(tde, root)
    assert result.exit_code == 2
    assert result.stdout == "tde.yaml:1:1: error: the file is UTF-16; save it as UTF-8 [encoding]\n"


def test_a_pipe_named_like_a_record_does_not_hang(tde: Callable[..., Run], tmp_path: Path) -> None:
    """A named pipe called x.md is reported as not a regular file instead of being opened."""
    root = lay_out(tmp_path, {})
    os.mkfifo(root / "interviews/pipe.md")
    result = run_validate(tde, root)
    assert result.exit_code == 1
    assert result.stdout == (
        "interviews/pipe.md: error: this is not a regular file; tde reads only files [not-a-file]\n"
    )
