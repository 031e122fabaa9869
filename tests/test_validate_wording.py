"""Counted words in validate's messages agree with their numbers: one criterion, two criteria."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from conftest import Run

USECASE = "usecases/code-violations-by-address.md"
PLAN = "plans/eviction-filings-release-plan.md"


def replace(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert text.count(old) == 1, (path, old)
    path.write_text(text.replace(old, new), encoding="utf-8")


@pytest.mark.parametrize(
    ("removed", "said"),
    [
        (["  interest: 3\n"], "no score yet for the criterion interest [missing-score]"),
        (["  interest: 3\n", "  impact: 4\n"], "no score yet for the criteria interest, impact [missing-score]"),
    ],
    ids=["one", "two"],
)
def test_missing_scores_say_criterion_or_criteria(
    removed: list[str], said: str, tde: Callable[..., Run], example: Path
) -> None:
    """One missing score is for 'the criterion', several are for 'the criteria' (never 'criterions')."""
    for line in removed:
        replace(example / USECASE, line, "")
    result = tde("validate", USECASE, cwd=example)
    assert result.exit_code == 0
    assert result.stdout == f"{USECASE}:32:1: warning: {said}\n"
    assert "criterions" not in result.stdout


def test_open_feedback_on_a_final_plan_is_counted_in_the_plural(
    tde: Callable[..., Run], example: Path
) -> None:
    """Two open pieces of feedback 'are' still open (one 'is': see the corpus case)."""
    replace(example / PLAN, "status: circulated", "status: final")
    replace(example / "feedback/clerk-staff-timeline.md", "disposition: accepted", "disposition: open")
    result = tde("validate", PLAN, cwd=example)
    assert result.exit_code == 1
    assert (
        "error: the plan is final but 2 pieces of feedback on it are still open "
        "('clerk-staff-timeline', 'school-district-audience'); decide on each and record the "
        "response first [final-with-open-feedback]"
    ) in result.stdout
