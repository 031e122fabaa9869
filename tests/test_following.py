"""Step 4 in the plan's records: milestones with a status, outcome indicators, and their rules.

"Today" is fixed with SOURCE_DATE_EPOCH; every rule is run through the real ``tde validate``
on a copy of the example project, its plan edited as a person would.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any, get_args

import pytest

from conftest import Run
from tdekit import following
from tdekit.records import models

PLAN = "plans/eviction-filings-release-plan.md"
#: 2026-10-01, noon UTC.
OCTOBER_1 = "1790856000"


def set_plan(root: Path, *, status: str | None = None, milestones: str | None = None, outcomes: str | None = None) -> None:
    """Replace the example plan's status line, milestones and outcomes blocks."""
    path = root / PLAN
    text = path.read_text(encoding="utf-8")
    if status is not None:
        text = re.sub(r"(?m)^status: \w+", f"status: {status}", text, count=1)
    if milestones is not None:
        text = re.sub(r"(?ms)^milestones:\n.*?(?=^outcomes:)", "milestones:\n" + milestones, text, count=1)
    if outcomes is not None:
        text = re.sub(r"(?ms)^outcomes:\n.*?(?=^resources:)", "outcomes:\n" + outcomes, text, count=1)
    path.write_text(text, encoding="utf-8")


def validate(tde: Callable[..., Run], root: Path, monkeypatch: pytest.MonkeyPatch, when: str = OCTOBER_1) -> Run:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", when)
    return tde("validate", cwd=root)


def line_of(root: Path, needle: str) -> int:
    lines = (root / PLAN).read_text(encoding="utf-8").splitlines()
    return next(n for n, line in enumerate(lines, start=1) if needle in line)


MILESTONES = """\
  - what: Court Clerk addendum signed
    when: 2026-09-15
    status: done
    done_on: 2026-09-12
  - what: First release
    when: 2026-09-20
    status: in_progress
  - what: Printed summaries
    when: 2026-09-25
    status: dropped
  - what: Six-month review
    when: April 2027
"""


def test_milestone_statuses_are_those_of_the_model() -> None:
    """The states following.py spells out stay those of the model."""
    assert get_args(models.MilestoneStatus) == following.MILESTONE_STATUSES


def test_overdue_milestone_of_a_final_plan_is_a_warning_naming_it(
    tde: Callable[..., Run], example: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Past its date, not done nor dropped, on a final plan: one warning at its date, naming it."""
    set_plan(example, status="revised", milestones=MILESTONES)
    for path in (example / "feedback").glob("*.md"):  # a final plan has no open feedback
        text = path.read_text(encoding="utf-8")
        path.write_text(text.replace("disposition: open", "disposition: declined\nresponse: Not now."), encoding="utf-8")
    before = validate(tde, example, monkeypatch)
    assert "milestone-overdue" not in before.stdout  # a draft's dates are proposals
    set_plan(example, status="final")
    result = validate(tde, example, monkeypatch)
    overdue = [line for line in result.stdout.splitlines() if "milestone-overdue" in line]
    line = line_of(example, "when: 2026-09-20")
    assert overdue == [
        f"{PLAN}:{line}:11: warning: milestone 'First release' was due 2026-09-20 and is in_progress: "
        "mark it done (status: done, done_on: DATE) or dropped, or post an update about the delay "
        '(tde new update "TITLE" --set plan=eviction-filings-release-plan --set kind=delay) [milestone-overdue]'
    ]
    assert result.exit_code == 0  # a warning
    assert validate(tde, example, monkeypatch, when="1789000000").stdout.count("milestone-overdue") == 0


def test_done_on_without_done_is_an_error(tde: Callable[..., Run], example: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    set_plan(example, milestones=MILESTONES.replace("status: in_progress", "status: in_progress\n    done_on: 2026-09-19"))
    result = validate(tde, example, monkeypatch)
    assert result.exit_code == 1
    line = line_of(example, "done_on: 2026-09-19")
    assert (
        f"{PLAN}:{line}:14: error: milestone 'First release' has done_on but its status is in_progress; "
        "set status: done, or remove done_on [done-on-not-done]"
    ) in result.stdout.splitlines()


def test_done_on_in_the_future_is_an_error(tde: Callable[..., Run], example: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    set_plan(example, milestones=MILESTONES.replace("done_on: 2026-09-12", "done_on: 2026-10-02"))
    result = validate(tde, example, monkeypatch)
    assert result.exit_code == 1
    line = line_of(example, "done_on: 2026-10-02")
    assert (
        f"{PLAN}:{line}:14: error: milestone 'Court Clerk addendum signed' is done_on 2026-10-02, after "
        "today (2026-10-01); a milestone is marked done once it is [done-on-future]"
    ) in result.stdout.splitlines()
    # the same file is clean on a later day
    assert "done-on-future" not in validate(tde, example, monkeypatch, when="1796126400").stdout


def test_structured_outcomes_are_checked(tde: Callable[..., Run], example: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Outcomes may be text or fields; numbers are numbers, not true/false; measured in the past."""
    good = """\
  - Partners get counts within 20 days
  - outcome: Fewer default judgments
    indicator: share of filings ending in a default judgment (%)
    baseline: 61
    target: 50
    actual: 55.5
    measured_on: 2026-09-30
  - outcome: People reached
    indicator: printed summaries handed out
    target: about 2,000
"""
    set_plan(example, outcomes=good)
    assert validate(tde, example, monkeypatch).exit_code == 0
    set_plan(example, outcomes=good.replace("target: 50", "target: true").replace("2026-09-30", "2026-10-09"))
    result = validate(tde, example, monkeypatch)
    assert result.exit_code == 1
    lines = result.stdout.splitlines()
    target = line_of(example, "target: true")
    measured = line_of(example, "measured_on: 2026-10-09")
    assert any(line.startswith(f"{PLAN}:{target}:13: error: outcomes[1].target ") for line in lines), lines
    assert (
        f"{PLAN}:{measured}:18: error: outcome 'Fewer default judgments' is measured_on 2026-10-09, "
        "after today (2026-10-01) [measured-on-future]"
    ) in lines
    set_plan(example, outcomes="  - outcome: x\n    bogus: 1\n")
    assert "unknown field 'bogus'" in validate(tde, example, monkeypatch).stdout


# --- tde status: each state of Step 4 ----------------------------------------------------------

DECEMBER_1 = "1796126400"


def close_feedback(root: Path) -> None:
    """Decide every open piece of feedback, so that the plan may be final."""
    for path in (root / "feedback").glob("*.md"):
        text = path.read_text(encoding="utf-8")
        path.write_text(text.replace("disposition: open", "disposition: declined\nresponse: Not now."), encoding="utf-8")


def status(tde: Callable[..., Run], root: Path, monkeypatch: pytest.MonkeyPatch, when: str = OCTOBER_1) -> tuple[str, dict[str, Any]]:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", when)
    monkeypatch.setenv("COLUMNS", "400")  # one line per sentence
    text = tde("status", cwd=root)
    data = tde("status", "--format", "json", cwd=root)
    assert text.exit_code == 0 and data.exit_code == 0, (text, data)
    return text.stdout, json.loads(data.stdout)


def post_update(tde: Callable[..., Run], root: Path, title: str, date: str) -> None:
    result = tde("new", "update", title, "--set", f"date={date}", "--set", "kind=progress", cwd=root)
    assert result.exit_code == 0, result


def test_status_before_the_plan_is_final_says_step_4_waits(
    tde: Callable[..., Run], example: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    text, data = status(tde, example, monkeypatch)
    assert data["implement"] is None
    assert "4 Implement          starts when the plan is final" in text
    assert "Last update" not in text


def test_status_with_milestones_pending_names_the_next_one_and_asks_for_an_update(
    tde: Callable[..., Run], example: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    close_feedback(example)
    set_plan(example, status="final", milestones=MILESTONES.replace("when: 2026-09-20", "when: 2026-10-20"))
    text, data = status(tde, example, monkeypatch)
    implement = data["implement"]
    assert (implement["milestones"], implement["done"], implement["dropped"], implement["overdue"]) == (4, 1, 1, [])
    assert "4 Implement          plan eviction-filings-release-plan: 1 of 4 milestones done, 1 dropped" in text
    assert "Last update                          none yet" in text
    plan = "eviction-filings-release-plan"
    assert data["next"] == [
        f"Step 4: next milestone of plan {plan}: 'First release', due 2026-10-20; when it is done, set its "
        f'status to done with done_on, and tell the community: tde new update "TITLE" --set plan={plan}',
        f'no update on plan {plan} yet: tell partners and residents how it is going: tde new update "TITLE" --set plan={plan}',
    ]
    post_update(tde, example, "Work has started", "2026-09-21")
    text, data = status(tde, example, monkeypatch)
    assert data["implement"]["last_update"] == {
        "id": "work-has-started", "title": "Work has started", "date": "2026-09-21", "days_ago": 10,
    }
    assert "Last update                          Work has started, 2026-09-21 (10 days ago); 1 update in all" in text
    assert len(data["next"]) == 1


def test_status_with_an_overdue_milestone_says_mark_it_done_or_post_a_delay(
    tde: Callable[..., Run], example: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    close_feedback(example)
    set_plan(example, status="final", milestones=MILESTONES)
    text, data = status(tde, example, monkeypatch)
    assert data["implement"]["overdue"] == [{"what": "First release", "when": "2026-09-20", "status": "in_progress"}]
    assert "Overdue                              First release (due 2026-09-20)" in text
    plan = "eviction-filings-release-plan"
    assert (
        f"Next: milestone 'First release' was due 2026-09-20: mark it done (status: done and done_on in "
        f"plans/{plan}.md), or post an update about the delay: tde new update \"TITLE\" --set plan={plan} "
        "--set kind=delay"
    ) in text
    assert [s["done"] for s in data["steps"]] == [True, True, True, False]


def test_status_when_every_milestone_is_closed_names_the_next_use_case_in_the_backlog(
    tde: Callable[..., Run], example: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    close_feedback(example)
    closed = MILESTONES.replace("status: in_progress", "status: done\n    done_on: 2026-09-22").replace(
        "when: April 2027\n", "when: April 2027\n    status: dropped\n"
    )
    outcomes = """\
  - outcome: Fewer default judgments
    indicator: share of default judgments (%)
    baseline: 61
    target: 50
    actual: 48
    measured_on: 2026-09-30
  - outcome: Renters find help
    indicator: summaries handed out
    target: 2000
"""
    set_plan(example, status="final", milestones=closed, outcomes=outcomes)
    post_update(tde, example, "First release is out", "2026-09-22")
    text, data = status(tde, example, monkeypatch)
    implement = data["implement"]
    assert implement["finished"] is True
    assert (implement["measured"], implement["indicators"]) == (1, 2)
    assert implement["outcomes"][0]["met"] is True
    assert implement["backlog"]["id"] == "rental-assistance-reach"  # code violations has a plan
    assert "share of default judgments (%): 48 measured on 2026-09-30 (target 50, baseline 61): target met" in text
    backlog = implement["backlog"]["id"]
    plan = "eviction-filings-release-plan"
    assert data["next"] == [
        f"measure the outcomes of plan {plan}: set actual and measured_on for each indicator (1 of 2 measured)",
        f"Step 4 is done for plan {plan}: the next use case in the backlog is {backlog} (rank 2); start it "
        f'with tde select {backlog}, then tde new plan "TITLE" --set usecase={backlog}',
        f"tell everyone what came of it: tde render report {plan} --format html -o report.html",
    ]
    assert all(s["done"] for s in data["steps"])
    # with no shortlisted use case left without a plan, it says so
    for path in (example / "usecases").glob("*.md"):
        path.write_text(path.read_text(encoding="utf-8").replace("status: shortlisted", "status: parked"), encoding="utf-8")
    _, data = status(tde, example, monkeypatch)
    assert data["implement"]["backlog"] is None
    assert "no shortlisted use case without a plan is left" in data["next"][1]


def test_new_update_names_the_current_plan_and_today(
    tde: Callable[..., Run], example: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Without --set plan=, an update is about the selected use case's plan; dated today (SOURCE_DATE_EPOCH)."""
    monkeypatch.setenv("SOURCE_DATE_EPOCH", OCTOBER_1)
    assert tde("new", "update", "Work has started", cwd=example).exit_code == 0
    text = (example / "updates" / "work-has-started.md").read_text(encoding="utf-8")
    assert "plan: eviction-filings-release-plan" in text
    assert "date: 2026-10-01" in text


# --- tde score and tde select: a use case with a final plan is done ----------------------------


def test_score_and_select_show_a_use_case_with_a_final_plan_as_done(
    tde: Callable[..., Run], example: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    close_feedback(example)
    monkeypatch.setenv("COLUMNS", "80")
    def done_rows() -> list[str]:
        table = tde("score", cwd=example).stdout
        return [line.split()[1] for line in table.split("\n\n")[0].splitlines() if line.endswith(" done")]

    assert done_rows() == ["code-violations-by-address"]  # the example's implemented cycle
    set_plan(example, status="final")
    assert done_rows() == ["eviction-filings-by-neighborhood", "code-violations-by-address"]
    table = tde("score", cwd=example).stdout
    assert "done: a final plan is for it (the others are the backlog)" in " ".join(table.split())
    data = json.loads(tde("score", "--format", "json", cwd=example).stdout)
    assert [item["id"] for item in data if item["done"]] == ["eviction-filings-by-neighborhood", "code-violations-by-address"]
    csv_lines = tde("score", "--format", "csv", cwd=example).stdout.splitlines()
    assert csv_lines[0].endswith(",done")
    assert sum(line.endswith(",true") for line in csv_lines[1:]) == 2
    assert tde("select", "code-violations-by-address", cwd=example).exit_code == 0
    again = tde("select", "eviction-filings-by-neighborhood", cwd=example)
    assert again.exit_code == 0
    assert "note: eviction-filings-by-neighborhood is done (plan eviction-filings-release-plan is final)" in again.stderr
