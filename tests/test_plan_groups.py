"""The plan's "Who we heard from" shows group engagements with their numbers, consent applied."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from conftest import Run

SCOPE = "interviews/housing-data-scope-a-thon.md"  # anonymous
WORKSHOP = "interviews/hcd-partner-workshop.md"  # public
#: An organization that only the scope-a-thon names (the example's are named elsewhere too).
ONLY_THERE = "Eastbank Small Landlords Guild"


@pytest.fixture
def example(example: Path) -> Path:
    """The example, its scope-a-thon naming an organization that no other record names."""
    _edit(example, SCOPE, "  - Riverton Courier\n", f"  - Riverton Courier\n  - {ONLY_THERE}\n")
    return example


def _edit(root: Path, rel: str, old: str, new: str) -> None:
    path = root / rel
    text = path.read_text(encoding="utf-8")
    assert old in text, (rel, old)
    path.write_text(text.replace(old, new), encoding="utf-8")


def _plan(tde: Callable[..., Run], root: Path, fmt: str = "md") -> str:
    result = tde("render", "plan", "--format", fmt, cwd=root)
    assert result.exit_code == 0, result
    return result.stdout


def _section(plan: str) -> str:
    return plan.split("Who we heard from", 1)[1].split("The data it needs", 1)[0]


def test_group_engagements_show_their_people_by_type(example: Path, tde: Callable[..., Run]) -> None:
    """Each group engagement behind the use case is a row: tactic, date, people by type, dots."""
    section = _section(_plan(tde, example))
    assert (
        "| 2026-03-07 | Scope-a-thon | 22 (Community groups: 5; Nonprofits: 2; Researchers: 3; Journalists: 1; "
        "Civic technologists: 5; Businesses: 2; Government staff: 4) | – | 38 |"
    ) in section
    assert "| 2026-03-26 | Partner workshop | 5 (Government staff: 5) |" in section
    # 5 one-to-one conversations + 22 + 5 people; the private interview counts for nothing.
    assert "32 people took part in them." in " ".join(section.split())


def test_people_are_counted_from_the_engagements_shown(example: Path, tde: Callable[..., Run]) -> None:
    """The plan's number of people is one per conversation, or a group's participants."""
    import re

    section = " ".join(_section(_plan(tde, example)).split())
    rows = re.findall(r"^\| (\d{4}-\d\d-\d\d) \| ([^|]+) \| ([^|]+) \|$", _section(_plan(tde, example)), re.MULTILINE)
    conversations = int(re.search(r"rests on (\d+) conversations", section).group(1))  # type: ignore[union-attr]
    assert len(rows) == conversations
    groups = [int(n) for n in re.findall(r"^\| \d{4}-\d\d-\d\d \| [^|]+ \| (\d+)", _section(_plan(tde, example)), re.MULTILINE)]
    assert groups == [22, 5]
    assert f"{conversations - len(groups) + sum(groups)} people took part in them." in section


def test_an_anonymous_engagement_names_no_organization(example: Path, tde: Callable[..., Run]) -> None:
    """Organizations are shown with public consent only: the workshop's, not the scope-a-thon's."""
    for fmt in ("md", "html"):
        section = _section(_plan(tde, example, fmt))
        assert ONLY_THERE not in section
        assert "Riverton Code Enforcement Division" in section


def test_a_private_engagement_adds_to_the_count_only(example: Path, tde: Callable[..., Run]) -> None:
    """A private scope-a-thon: its 22 people are counted, its row and organizations are not shown."""
    _edit(example, SCOPE, "consent: anonymous", "consent: private")
    for fmt in ("md", "html"):
        plan = _plan(tde, example, fmt)
        section = " ".join(_section(plan).split())
        assert "Scope-a-thon" not in section
        assert ONLY_THERE not in plan
        assert "1 of them" not in section
        assert "32 people took part in them, 22 of them at private engagements, counted but not shown." in section


@pytest.mark.parametrize("fmt", ["md", "html"])
def test_a_private_engagements_organization_in_the_plan_is_refused(
    example: Path, tde: Callable[..., Run], fmt: str
) -> None:
    """The redaction check looks for the organizations of a private engagement."""
    _edit(example, SCOPE, "consent: anonymous", "consent: private")
    plan = example / "plans" / "eviction-filings-release-plan.md"
    plan.write_text(plan.read_text(encoding="utf-8") + f"\nThe {ONLY_THERE} came too.\n", encoding="utf-8")
    out = example.parent / f"plan.{fmt}"
    result = tde("render", "plan", "--format", fmt, "-o", str(out), cwd=example)
    assert result.exit_code == 1, result
    assert f"holds the organizations of {SCOPE}, which its consent (private) withholds" in result.stderr
    assert not out.exists()
