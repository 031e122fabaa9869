"""``tde circulate`` on the shipped example, through the real CLI and real git."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path

import pytest

from conftest import EXAMPLES, Run, git
from plan_project import copy_project

PLAN = "plans/eviction-filings-release-plan.md"
TAG = "tde/eviction-filings-release-plan/round-"


def tags(root: Path) -> list[str]:
    return git(root, "tag", "--list", "tde/*").split()


def draft(root: Path) -> None:
    """The example's plan back to a draft, committed: the state before its first round."""
    path = root / PLAN
    path.write_text(path.read_text(encoding="utf-8").replace("status: circulated", "status: draft", 1), encoding="utf-8")
    git(root, "commit", "--quiet", "-am", "Back to a draft")


def test_circulate_changes_one_line_commits_the_plan_and_tags_the_round(
    example: Path, tde: Callable[..., Run]
) -> None:
    draft(example)
    (example / "notes.txt").write_text("not part of it\n")
    run = tde("circulate", "--closes", "2026-10-01", cwd=example)
    assert run.exit_code == 0, run
    assert run.stdout == f"circulated eviction-filings-release-plan for comment: round 1, tagged {TAG}1.\n"
    assert run.stderr == "Not part of the round (changes not committed): notes.txt.\n"
    diff = git(example, "show", "--unified=0", "--no-color", "--format=%s", "HEAD")
    changed = [line for line in diff.splitlines() if line[:1] in ("+", "-") and line[:3] not in ("+++", "---")]
    assert changed == [
        "-status: draft   # first posted for comment 2026-06-02; the revised draft posted 2026-08-28",
        "+status: circulated   # first posted for comment 2026-06-02; the revised draft posted 2026-08-28",
        "-  closes: 2026-09-25", "+  closes: 2026-10-01",
    ]
    assert diff.splitlines()[0] == "Circulate eviction-filings-release-plan for comment: round 1"
    assert git(example, "status", "--porcelain") == "?? notes.txt\n"
    assert tags(example) == [f"{TAG}1"]
    assert git(example, "cat-file", "-t", f"{TAG}1").strip() == "tag"  # annotated
    message = git(example, "tag", "-l", "--format=%(contents)", f"{TAG}1").strip()
    assert message == (
        "Round 1 of Draft plan: monthly eviction filings by neighborhood: circulated for comment "
        "on 2026-09-21, comments until 2026-10-01"
    )
    assert tde("validate", "--strict", cwd=example).exit_code == 0


def test_rounds_are_numbered_and_an_unchanged_plan_makes_none(example: Path, tde: Callable[..., Run]) -> None:
    assert tde("circulate", cwd=example).exit_code == 0  # circulated already: round 1 is HEAD
    head = git(example, "rev-parse", "HEAD")
    again = tde("circulate", cwd=example)
    assert again.exit_code == 0
    assert again.stdout == (
        f"eviction-filings-release-plan is circulated already as round 1 ({TAG}1) and has not "
        "changed since; nothing changed.\n"
    )
    assert git(example, "rev-parse", "HEAD") == head and tags(example) == [f"{TAG}1"]
    path = example / PLAN
    path.write_text(path.read_text(encoding="utf-8").replace("Publish the 2019", "Publish the 2018", 1), encoding="utf-8")
    git(example, "commit", "--quiet", "-am", "Revise")
    run = tde("circulate", "eviction-filings-release-plan", cwd=example)
    assert run.exit_code == 0, run
    assert tags(example) == [f"{TAG}1", f"{TAG}2"]
    assert git(example, "rev-parse", f"{TAG}2^{{commit}}") == git(example, "rev-parse", "HEAD")


def test_closes_is_added_to_a_period_without_it(example: Path, tde: Callable[..., Run]) -> None:
    path = example / PLAN
    path.write_text(path.read_text(encoding="utf-8").replace("  closes: 2026-09-25\n", "", 1), encoding="utf-8")
    git(example, "commit", "--quiet", "-am", "No closing date")
    run = tde("circulate", "--closes", "2026-09-30", cwd=example)
    assert run.exit_code == 0, run
    assert "  opens: 2026-08-28\n  closes: 2026-09-30\n" in path.read_text(encoding="utf-8") or (
        "comment_period:\n  closes: 2026-09-30\n  opens: 2026-08-28\n" in path.read_text(encoding="utf-8")
    )
    assert tde("validate", "--strict", cwd=example).exit_code == 0


def refused(root: Path, run: Run, words: str) -> None:
    assert run.exit_code == 1, run
    assert words in run.stderr, run.stderr
    assert "Traceback" not in run.stderr
    assert tags(root) == []


def test_refused_with_uncommitted_changes_to_the_plan(example: Path, tde: Callable[..., Run]) -> None:
    path = example / PLAN
    before = path.read_text(encoding="utf-8") + "\nA sentence more.\n"
    path.write_text(before, encoding="utf-8")
    refused(example, tde("circulate", cwd=example),
            f"error: nothing changed: {PLAN} has changes that are not committed (modified); commit them")
    assert path.read_text(encoding="utf-8") == before


def test_refused_with_errors_in_the_project(example: Path, tde: Callable[..., Run]) -> None:
    (example / "feedback" / "bad.md").write_text("---\nid: bad\ntitle: Bad\n---\n")
    git(example, "add", "-A")
    git(example, "commit", "--quiet", "-m", "bad")
    head = git(example, "rev-parse", "HEAD")
    refused(example, tde("circulate", cwd=example), "nothing changed: the project has")
    assert git(example, "rev-parse", "HEAD") == head


def test_refused_outside_git(tmp_path: Path, tde: Callable[..., Run]) -> None:
    root = tmp_path / "plain"
    shutil.copytree(EXAMPLES, root)
    before = (root / PLAN).read_bytes()
    run = tde("circulate", cwd=root)
    assert run.exit_code == 1
    assert run.stderr == (
        f"error: nothing changed: {root} is not inside a git work tree; tde circulate records each "
        "round as a git tag, so the project must be in a git repository (git init, then commit "
        "the project)\n"
    )
    assert (root / PLAN).read_bytes() == before


def test_refused_closing_dates(example: Path, tde: Callable[..., Run]) -> None:
    refused(example, tde("circulate", "--closes", "2026-09-01", cwd=example),
            "nothing changed: --closes 2026-09-01 is before today (2026-09-21)")
    bad = tde("circulate", "--closes", "next week", cwd=example)
    assert bad.exit_code == 2 and "--closes must be a date written YYYY-MM-DD" in bad.stderr
    assert git(example, "status", "--porcelain") == ""


def test_unknown_plan(example: Path, tde: Callable[..., Run]) -> None:
    refused(example, tde("circulate", "eviction-filings-plan", cwd=example),
            "no plan 'eviction-filings-plan' in this project; did you mean 'eviction-filings-release-plan'?")


def test_a_plan_without_a_comment_period_gets_one(
    tmp_path: Path, tde: Callable[..., Run], monkeypatch: pytest.MonkeyPatch
) -> None:
    """--closes on a plan with no comment_period adds one line: it opens today, closes then."""
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1790000000")  # 2026-09-21
    root = copy_project(tmp_path)
    git(root, "init", "--quiet")
    git(root, "add", "-A")
    git(root, "commit", "--quiet", "-m", "Lakeside")
    run = tde("circulate", "--closes", "2026-10-01", cwd=root)
    assert run.exit_code == 0, run
    assert git(root, "show", "--format=", "--unified=0", "--no-color", "HEAD").splitlines()[-1] == (
        "+comment_period: {opens: 2026-09-21, closes: 2026-10-01}"
    )
    assert git(root, "log", "-1", "--format=%ad", "--date=short", "tde/arrivals-plan/round-1") == "2026-09-21\n"
