"""A plan's comment period and the team's own ``changes``: what ``tde validate`` says of them,
through the real CLI on a copy of the render fixture project."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from conftest import Run
from plan_project import copy_project, edit

PLAN = "plans/arrivals-plan.md"
#: 2026-09-21, after the fixture's comment period below opens and before it closes.
DAY = "1790000000"


def add_fields(root: Path, text: str) -> None:
    """Put ``text`` (top-level fields) at the end of the plan's front matter."""
    edit(root, PLAN, "  - Answer the open question on fares by 2026-07-31\n---", (
        "  - Answer the open question on fares by 2026-07-31\n" + text.rstrip("\n") + "\n---"
    ))


def lines_of(run: Run, code: str) -> list[str]:
    return [line for line in run.stdout.splitlines() if line.endswith(f"[{code}]")]


@pytest.fixture
def plan_root(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", DAY)
    return copy_project(tmp_path)


def test_circulated_without_closing_date_is_a_warning(plan_root: Path, tde: Callable[..., Run]) -> None:
    run = tde("validate", cwd=plan_root)
    assert run.exit_code == 0, run
    assert lines_of(run, "no-closing-date") == [
        f"{PLAN}:6:9: warning: the plan is circulated but its comment period has no closing date; "
        "set comment_period.closes (or 'tde circulate --closes YYYY-MM-DD') so that readers know "
        "until when comments count [no-closing-date]"
    ]
    add_fields(plan_root, "comment_period:\n  opens: 2026-09-01\n  closes: 2026-10-01\n")
    assert lines_of(tde("validate", cwd=plan_root), "no-closing-date") == []


def test_a_draft_needs_no_closing_date(plan_root: Path, tde: Callable[..., Run]) -> None:
    edit(plan_root, PLAN, "status: circulated", "status: draft")
    assert lines_of(tde("validate", cwd=plan_root), "no-closing-date") == []


def test_closes_before_opens_is_an_error_at_its_line(plan_root: Path, tde: Callable[..., Run]) -> None:
    add_fields(plan_root, "comment_period:\n  opens: 2026-09-01\n  closes: 2026-08-01\n")
    run = tde("validate", cwd=plan_root)
    assert run.exit_code == 1
    line = next(n for n, text in enumerate((plan_root / PLAN).read_text().splitlines(), 1) if "closes:" in text)
    assert lines_of(run, "closes-before-opens") == [
        f"{PLAN}:{line}:11: error: the comment period closes on 2026-08-01, before it opens on "
        "2026-09-01 [closes-before-opens]"
    ]


def test_a_past_closing_date_on_a_circulated_plan_is_a_warning(
    plan_root: Path, tde: Callable[..., Run], monkeypatch: pytest.MonkeyPatch
) -> None:
    add_fields(plan_root, "comment_period:\n  closes: 2026-09-20\n")
    run = tde("validate", cwd=plan_root)
    assert run.exit_code == 0
    assert [line.split(": ", 1)[1] for line in lines_of(run, "comment-period-over")] == [
        "warning: the comment period closed on 2026-09-20 but the plan is still circulated; set "
        "its status to revised once the comments are answered, or move the closing date "
        "[comment-period-over]"
    ]
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1789000000")  # 2026-09-10: still open
    assert lines_of(tde("validate", cwd=plan_root), "comment-period-over") == []
    monkeypatch.setenv("SOURCE_DATE_EPOCH", DAY)
    edit(plan_root, PLAN, "status: circulated", "status: revised")
    assert lines_of(tde("validate", cwd=plan_root), "comment-period-over") == []


def test_changes_name_feedback_that_exists(plan_root: Path, tde: Callable[..., Run]) -> None:
    add_fields(plan_root, (
        "comment_period:\n  closes: 2026-10-01\n"
        "changes:\n  - section: Timeline\n    change: Feed every 30 seconds\n"
        "    feedback: [portal-coment, workshop-card]\n"
    ))
    run = tde("validate", cwd=plan_root)
    assert run.exit_code == 1
    line = next(n for n, text in enumerate((plan_root / PLAN).read_text().splitlines(), 1) if "portal-coment" in text)
    assert lines_of(run, "unknown-reference") == [
        f"{PLAN}:{line}:16: error: 'portal-coment' in changes[0].feedback is not feedback of this "
        "project (no feedback/portal-coment.md); did you mean 'portal-comment'? [unknown-reference]"
    ]


@pytest.mark.parametrize(("field", "value", "code"), [
    ("form_url", "javascript:alert(1)", "invalid-url"),
    ("form_url", "http://example.org/comment", "invalid-url"),
    ("form_url", '"https://example.org/a\\"onmouseover=x"', "invalid-url"),
    ("email", "someone", "invalid-email"),
    ("email", '"a@b.org?bcc=c@d.org"', "invalid-email"),
    ("email", '"a@b.org, c@d.org"', "invalid-email"),
])
def test_unsafe_addresses_are_refused_at_their_line(
    plan_root: Path, tde: Callable[..., Run], field: str, value: str, code: str
) -> None:
    add_fields(plan_root, f"comment_period:\n  closes: 2026-10-01\n  {field}: {value}\n")
    run = tde("validate", cwd=plan_root)
    assert run.exit_code == 1
    line = next(n for n, text in enumerate((plan_root / PLAN).read_text().splitlines(), 1) if f"{field}:" in text)
    (found,) = lines_of(run, code)
    assert found.startswith(f"{PLAN}:{line}:")
    assert f"comment_period.{field} must be" in found
