"""``tde status``: where the project stands in the four steps, and what to do next."""

from __future__ import annotations

import json
import shutil
from collections.abc import Callable
from pathlib import Path
from typing import get_args

import pytest

from conftest import EXAMPLES, Run
from tdekit.records import kinds, models
from test_imports import READERS, among, imported


def status_json(tde: Callable[..., Run], root: Path) -> dict[str, object]:
    result = tde("status", "--format", "json", cwd=root)
    assert result.exit_code == 0, result
    data = json.loads(result.stdout)
    assert isinstance(data, dict)
    return data


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, (path, old)
    path.write_text(text.replace(old, new), encoding="utf-8")


def test_new_project_asks_for_a_focus_area_and_interviews(tde: Callable[..., Run], empty_project: Path) -> None:
    """A fresh project is at Step 1: set the focus area, then record conversations."""
    data = status_json(tde, empty_project)
    assert data["focus_area"] is None
    assert data["interviews"] == 0
    assert data["next"] == [
        "Step 1: tally what residents already ask for: tde find requests FILE --source NAME "
        "--topic-column C (or tde new signal TITLE for a survey or a meeting), then tde find",
        'Step 2: talk with stakeholders and record each conversation: tde new interview "TITLE"',
    ]
    steps = data["steps"]
    assert isinstance(steps, list)
    assert [s["name"] for s in steps] == ["Find", "Refine", "Design", "Implement"]
    assert not any(s["done"] for s in steps)


def test_example_counts_every_step(tde: Callable[..., Run], example: Path) -> None:
    """On the example: interviews by type and consent, use cases by status, the plan's feedback."""
    data = status_json(tde, example)
    assert data["focus_area"] == "Housing stability and eviction prevention"
    assert data["interviews"] == 8
    assert data["by_consent"] == {"public": 4, "anonymous": 3, "private": 1}
    by_type = data["by_stakeholder"]
    assert isinstance(by_type, dict)
    assert by_type["resident"] == 2
    assert sum(by_type.values()) == 8
    assert data["personas"] == 4
    assert data["usecases"] == {"candidate": 1, "shortlisted": 2, "selected": 1, "parked": 1}
    assert data["fully_scored"] == 5
    assert data["selected"] == "eviction-filings-by-neighborhood"
    plan = data["plan"]
    assert isinstance(plan, dict)
    assert plan["id"] == "eviction-filings-release-plan"
    assert plan["feedback"] == {"open": 1, "accepted": 6, "partly_accepted": 3, "declined": 1}
    assert data["next"] == [
        "1 feedback item still open on plan eviction-filings-release-plan: decide each "
        "(accepted, partly_accepted or declined) and write the team's response"
    ]


def test_no_selection_points_at_score_and_select(tde: Callable[..., Run], example: Path) -> None:
    """Without a selected use case the next step is tde score, then tde select ID."""
    edit(example / "usecases" / "eviction-filings-by-neighborhood.md", "status: selected", "status: shortlisted")
    data = status_json(tde, example)
    assert data["selected"] is None
    assert data["next"] == ["no use case selected: run tde score, then tde select ID"]


def test_unscored_use_cases_are_counted(tde: Callable[..., Run], example: Path) -> None:
    """A use case missing a score is not fully scored, and the advice says so before selecting."""
    edit(example / "usecases" / "eviction-filings-by-neighborhood.md", "status: selected", "status: shortlisted")
    edit(example / "usecases" / "eviction-filings-by-neighborhood.md", "  impact: 4\n", "")
    data = status_json(tde, example)
    assert data["fully_scored"] == 4
    assert data["next"] == [
        "1 use case not fully scored: fill in their scores, then run tde score",
        "no use case selected: run tde score, then tde select ID",
    ]


def test_selected_without_plan_says_how_to_draft_one(tde: Callable[..., Run], example: Path) -> None:
    """A selected use case with no plan leads to tde new plan with its id."""
    for plan in ("eviction-filings-release-plan.md", "eviction-filings-release-plan-es.md"):  # and its translation
        (example / "plans" / plan).unlink()
    for item in (example / "feedback").iterdir():
        item.unlink()
    data = status_json(tde, example)
    assert data["plan"] is None
    assert data["next"] == [
        'Step 3: draft a plan for eviction-filings-by-neighborhood: tde new plan "TITLE" '
        "--set usecase=eviction-filings-by-neighborhood"
    ]


def test_draft_plan_is_to_be_circulated(tde: Callable[..., Run], example: Path) -> None:
    """A draft plan's next step is to circulate it."""
    edit(example / "plans" / "eviction-filings-release-plan.md", "status: circulated", "status: draft")
    data = status_json(tde, example)
    next_steps = data["next"]
    assert isinstance(next_steps, list)
    assert next_steps[0].startswith("circulate plan eviction-filings-release-plan to its intended users")


def test_decided_feedback_leads_to_revision(tde: Callable[..., Run], example: Path) -> None:
    """Once every piece of feedback is decided, fold it in and revise the plan."""
    edit(
        example / "feedback" / "school-district-audience.md",
        "disposition: open\n",
        "disposition: declined\nresponse: Not in this release.\n",
    )
    data = status_json(tde, example)
    assert data["next"] == [
        "fold the feedback into plan eviction-filings-release-plan, set its status to revised, "
        "and say what happens next"
    ]


def test_errors_come_first(tde: Callable[..., Run], example: Path) -> None:
    """Validation errors are the first thing to fix."""
    edit(example / "personas" / "tenant-organizer.md", "data_skills: medium", "data_skills: expert")
    data = status_json(tde, example)
    assert data["errors"] == 1
    next_steps = data["next"]
    assert isinstance(next_steps, list)
    assert next_steps[0] == "fix 1 error in 1 file: run tde validate"


def test_table_shows_steps_and_the_next_action(tde: Callable[..., Run], example: Path) -> None:
    """The table form names the four steps, the counts and the next action."""
    result = tde("status", cwd=example)
    assert result.exit_code == 0, result
    for text in ("1 Find", "2 Refine", "3 Design", "4 Implement", "Interviews by consent",
                 "public 4, anonymous 3, private 1", "Next: 1 feedback item still open"):
        assert text in result.stdout, text


def test_interviews_without_a_valid_type_are_said_not_left_blank(
    tde: Callable[..., Run], empty_project: Path
) -> None:
    """An interview with no stakeholder type or consent yet reads as none recorded, not a blank."""
    made = tde("new", "interview", "First conversation", cwd=empty_project)
    assert made.exit_code == 0, made
    edit(empty_project / "interviews" / "first-conversation.md", "consent: private", "consent:")
    result = tde("status", cwd=empty_project)
    assert result.exit_code == 0, result
    lines = [" ".join(line.split()) for line in result.stdout.splitlines()]
    assert "Interviews by stakeholder type none recorded yet" in lines, result.stdout
    assert "Interviews by consent none recorded yet" in lines, result.stdout


@pytest.mark.parametrize(
    ("path", "old", "new"),
    [
        ("interviews/eastside-tenant.md", "consent: anonymous", "consent: [public]"),
        ("interviews/eastside-tenant.md", "stakeholder_type: resident", "stakeholder_type: {a: 1}"),
        ("usecases/who-owns-my-building.md", "status: candidate", "status: [candidate]"),
    ],
    ids=["consent list", "type mapping", "status list"],
)
def test_a_list_where_a_choice_belongs_is_counted_as_no_choice(
    tde: Callable[..., Run], example: Path, path: str, old: str, new: str
) -> None:
    """A list or mapping where a choice belongs is an error to report, not a crash."""
    edit(example / path, old, new)
    data = status_json(tde, example)
    assert data["errors"] == 1
    assert data["next"][0] == "fix 1 error in 1 file: run tde validate"  # type: ignore[index]


def test_unknown_format_is_refused(tde: Callable[..., Run], example: Path) -> None:
    """--format csv is a usage error (exit 2)."""
    result = tde("status", "--format", "csv", cwd=example)
    assert result.exit_code == 2


def test_counted_choices_are_those_of_the_models() -> None:
    """The choices kinds spells out (so that status needs no pydantic) stay those of the models."""
    pairs = [
        (kinds.STAKEHOLDER_TYPES, models.StakeholderType),
        (kinds.CONSENTS, models.Consent),
        (kinds.USECASE_STATUSES, models.UseCaseStatus),
        (kinds.DISPOSITIONS, models.Disposition),
    ]
    for spelled_out, literal in pairs:
        assert spelled_out == get_args(literal)


def test_warm_status_imports_no_model(tmp_path: Path) -> None:
    """tde status served from the cache imports neither tdekit's models nor pydantic."""
    root = tmp_path / "example"
    shutil.copytree(EXAMPLES, root, ignore=shutil.ignore_patterns(".tde-cache"))
    assert "tdekit.records.models" in imported("status", cwd=root)  # the first run reads and checks
    warm = imported("status", cwd=root)
    assert among(warm, READERS) == []
    assert among(warm, ("pydantic",)) == []
