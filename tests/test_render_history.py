"""The plan's revision history: dates by default; commit subjects and authors only when asked for,
and then through the redaction check; git text never reaches a terminal raw."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from conftest import Run, git
from plan_project import copy_project, edit
from tdekit import gitlog

FORMATS = ("md", "html")
PLAN = "plans/arrivals-plan.md"


def commit(root: Path, monkeypatch: pytest.MonkeyPatch, when: str, message: str, author: str = "Ana Ruiz") -> None:
    monkeypatch.setenv("GIT_AUTHOR_NAME", author)
    monkeypatch.setenv("GIT_AUTHOR_DATE", f"{when}T10:00:00+00:00")
    monkeypatch.setenv("GIT_COMMITTER_DATE", f"{when}T10:00:00+00:00")
    git(root, "add", "-A")
    git(root, "commit", "--quiet", "--allow-empty", "-m", message)


def touch_plan(root: Path, line: str) -> None:
    path = root / PLAN
    path.write_text(path.read_text(encoding="utf-8") + f"\n{line}\n", encoding="utf-8")


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The fixture project in git: the plan committed by Ana Ruiz, then by Rosa's note-taker."""
    root = copy_project(tmp_path)
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1788000000")
    edit(root, "interviews/drivers-union-steward.md", "interviewee: PRIVATE-NAME-MARKER Sam Okoro", "interviewee: Rosa")
    git(root, "init", "--quiet")
    commit(root, monkeypatch, "2026-05-04", "First draft of the arrivals plan")
    touch_plan(root, "A second paragraph.")
    commit(root, monkeypatch, "2026-06-01", "Rosa asked not to be named", author="Ben Osei")
    return root


def commits_on(root: Path) -> None:
    settings = root / "tde.yaml"
    settings.write_text(settings.read_text(encoding="utf-8") + "render:\n  history: commits\n", encoding="utf-8")


@pytest.mark.parametrize("fmt", FORMATS)
def test_history_shows_dates_only_by_default(tde: Callable[..., Run], project: Path, fmt: str) -> None:
    """Without render: {history: commits}, the history has each date the plan changed, and no subject or author."""
    result = tde("render", "plan", "--format", fmt, cwd=project)
    assert result.exit_code == 0, result
    history = result.stdout.split("Revision history", 1)[1]
    assert "2026-06-01" in history and "2026-05-04" in history
    for said in ("Rosa", "First draft of the arrivals plan", "Ben Osei", "Ana Ruiz"):
        assert said not in result.stdout, said


def test_dates_only_history_reads_as_a_table(tde: Callable[..., Run], project: Path) -> None:
    """The dates-only history is a two-column table, newest first: revised, then the first version."""
    text = tde("render", "plan", cwd=project).stdout
    assert "| Date | Change |\n| --- | --- |\n| 2026-06-01 | Revised |\n| 2026-05-04 | First version |\n" in text


@pytest.mark.parametrize("fmt", FORMATS)
def test_a_commit_subject_naming_a_private_interviewee_is_refused(
    tde: Callable[..., Run], project: Path, fmt: str
) -> None:
    """With commit subjects on, "Rosa asked not to be named" (Rosa: a private interviewee) refuses the
    output: exit 1, the record, the field and the line; nothing written."""
    commits_on(project)
    out = project / f"plan.{fmt}"
    result = tde("render", "plan", "--format", fmt, "-o", str(out), cwd=project)
    assert result.exit_code == 1, result
    assert result.stderr.startswith(f"error: refusing the rendered plan ({fmt}): output line "), result.stderr
    assert "holds the interviewee of interviews/drivers-union-steward.md, which its consent (private) withholds" in result.stderr
    assert "Rosa" not in result.stderr
    assert result.stderr.count("\n") == 1
    assert not out.exists()


def test_the_refusal_names_the_line_of_the_subject(tde: Callable[..., Run], project: Path) -> None:
    """The line a refusal names is the line the withheld value would have been on."""
    commits_on(project)
    edit(project, "interviews/drivers-union-steward.md", "interviewee: Rosa", "interviewee: Sam Okoro")
    shown = tde("render", "plan", cwd=project).stdout.split("\n")
    edit(project, "interviews/drivers-union-steward.md", "interviewee: Sam Okoro", "interviewee: Rosa")
    result = tde("render", "plan", cwd=project)
    line = int(result.stderr.split("output line ", 1)[1].split(" ", 1)[0])
    assert "Rosa asked not to be named" in shown[line - 1]


def test_commit_subjects_and_authors_show_when_asked_for(tde: Callable[..., Run], project: Path) -> None:
    """render: {history: commits} shows each commit's date, author and subject."""
    commits_on(project)
    edit(project, "interviews/drivers-union-steward.md", "interviewee: Rosa", "interviewee: PRIVATE-NAME-MARKER Sam Okoro")
    result = tde("render", "plan", cwd=project)
    assert result.exit_code == 0, result
    assert "| 2026-06-01 | Ben Osei | Rosa asked not to be named |" in result.stdout
    assert "| 2026-05-04 | Ana Ruiz | First draft of the arrivals plan |" in result.stdout


@pytest.mark.parametrize(
    ("setting", "message"),
    [
        ("render:\n  history: comits\n", "tde.yaml:19:12: error: 'comits' is not a valid render.history (did you mean 'commits'?); choose one of: dates, commits [invalid-choice]"),
        ("render:\n  histroy: commits\n", "tde.yaml:19:3: error: unknown field 'histroy'; did you mean 'history'? [unknown-field]"),
        ("render: commits\n", "tde.yaml:18:9: error: render must be a set of 'name: value' fields, not the text commits [wrong-type]"),
    ],
    ids=["value", "field", "shape"],
)
def test_a_bad_render_setting_is_located(tde: Callable[..., Run], project: Path, setting: str, message: str) -> None:
    """A wrong render setting is one located problem, and tde.yaml cannot be used (exit 2) until it is fixed."""
    settings = project / "tde.yaml"
    settings.write_text(settings.read_text(encoding="utf-8") + setting, encoding="utf-8")
    checked = tde("validate", cwd=project)
    assert checked.exit_code == 2
    assert message in checked.stdout
    rendered = tde("render", "plan", cwd=project)
    assert rendered.exit_code == 2
    assert message in rendered.stderr
    assert rendered.stdout == ""


# --- reading git ---------------------------------------------------------------------------------


def test_a_subject_with_a_unit_separator_keeps_its_commit(
    tde: Callable[..., Run], project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A commit whose subject holds \\x1f is still in the history (it used to split the line and vanish)."""
    touch_plan(project, "A third paragraph.")
    commit(project, monkeypatch, "2026-07-01", "Tidy\x1fthe wording")
    revisions = gitlog.history(project / PLAN)
    assert [r.date for r in revisions] == ["2026-07-01", "2026-06-01", "2026-05-04"]
    assert revisions[0].subject == "Tidy\\x1fthe wording"
    assert "| 2026-07-01 | Revised |" in tde("render", "plan", cwd=project).stdout


def test_git_text_never_reaches_a_terminal_raw(
    tde: Callable[..., Run], project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Escape sequences and bidi overrides in a subject or an author are shown as their escapes."""
    touch_plan(project, "A third paragraph.")
    commit(project, monkeypatch, "2026-07-01", "Retitle \x1b]0;owned\x07 \u202eevil", author="Mallory \u202eyrollaM")
    newest = gitlog.history(project / PLAN)[0]
    assert newest.subject == "Retitle \\x1b]0;owned\\x07 \\u202eevil"
    assert newest.author == "Mallory \\u202eyrollaM"
    commits_on(project)
    edit(project, "interviews/drivers-union-steward.md", "interviewee: Rosa", "interviewee: PRIVATE-NAME-MARKER Sam Okoro")
    for fmt in FORMATS:
        result = tde("render", "plan", "--format", fmt, cwd=project)
        assert result.exit_code == 0, result
        for raw in ("\x1b", "\x07", "\u202e"):
            assert raw not in result.stdout
        assert "Mallory" in result.stdout
