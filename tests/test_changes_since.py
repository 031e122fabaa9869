"""``tde render plan --changes-since ROUND``: what changed in each part of the plan since a round
of ``tde circulate``, built from the plan as tagged, in Markdown and HTML; real git."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

import pytest

from conftest import Run, git

PLAN = "plans/eviction-filings-release-plan.md"


def revise(root: Path, old: str, new: str, message: str = "Revise") -> None:
    path = root / PLAN
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    git(root, "commit", "--quiet", "-am", message)


@pytest.fixture
def two_rounds(example: Path, tde: Callable[..., Run]) -> Path:
    """The example circulated (round 1), revised, and circulated again (round 2)."""
    assert tde("circulate", cwd=example).exit_code == 0
    # Re-wrapping a paragraph and moving a comment is no change to a reader.
    revise(example, "formality: standard   # partners share goals, but the Court Clerk needs a written agreement",
           "formality: standard")
    revise(example, "  - Hold a 30-minute monthly briefing with partners on where filings are rising\n",
           "  - Hold a 30-minute monthly briefing with partners on where filings are rising\n"
           "  - Print the summary in Vietnamese once the budget allows\n")
    revise(example, "    when: 2026-10-20\n", "    when: 2026-11-02\n")
    revise(example, "  - Write a data help guide on what a filing, a judgment and an eviction are\n", "")
    run = tde("circulate", cwd=example)
    assert run.exit_code == 0, run
    assert "round 2" in run.stdout
    return example


def section(text: str, start: str, end: str) -> str:
    return text.split(start, 1)[1].split(end, 1)[0]


def test_markdown_shows_each_part_beside_the_teams_account(two_rounds: Path, tde: Callable[..., Run]) -> None:
    run = tde("render", "plan", cwd=two_rounds)
    assert run.exit_code == 0, run
    date = git(two_rounds, "for-each-ref", "--format=%(creatordate:short)",
               "refs/tags/tde/eviction-filings-release-plan/round-1").strip()
    shown = section(run.stdout, "### 6.3 What we changed\n", "\n## 7 ")
    assert shown == f"""
**Since round 1 ({date}):**

- **§5.1 Activities**
  - New: Print the summary in Vietnamese once the budget allows
  - Removed: Write a data help guide on what a filing, a judgment and an eviction are
  - Our account: Stated the privacy rules in the plan itself: no names, addresses or case numbers in any public file, counts under 5 suppressed. (in answer to F2)
- **§5.3 Timeline**
  - Changed: 2026-10-20 · First release (2019 series plus September 2026) · Open Data Program → 2026-11-02 · First release (2019 series plus September 2026) · Open Data Program
  - Our account: Moved the Court Clerk addendum to 2026-09-15 and the first release to 2026-10-20; the City Attorney's Office drafts the addendum. (in answer to 1 comment not published)

**Other changes we made:**

- **§4 What we will do:** Filings, default judgments and dismissals are shown separately; the one-page summary is printed in English and Spanish and left at libraries, laundromats and clinics. (in answer to F3, F4)
"""
    # the explicit round gives the same; nothing in the work tree changed
    assert tde("render", "plan", "--changes-since", "1", cwd=two_rounds).stdout == run.stdout
    assert git(two_rounds, "status", "--porcelain") == ""


def test_html_links_the_parts_and_the_feedback(two_rounds: Path, tde: Callable[..., Run]) -> None:
    run = tde("render", "plan", "--format", "html", cwd=two_rounds)
    assert run.exit_code == 0, run
    since = re.sub(r"\s+", " ", section(run.stdout, '<ul class="changes since">', "</ul>\n<p>"))
    assert '<li><strong><a href="#s5-3">§5.3 Timeline</a></strong>' in since
    assert ('<li><span class="tag">Changed</span> <del>2026-10-20 · First release (2019 series plus '
            'September 2026) · Open Data Program</del> → <ins>2026-11-02 ·') in since
    assert '(in answer to <a href="#f2">F2</a>)' in since
    assert 'id="f2"' in run.stdout


def test_after_a_revision_the_default_is_the_latest_round(two_rounds: Path, tde: Callable[..., Run]) -> None:
    revise(two_rounds, "  - Print the summary in Vietnamese once the budget allows\n", "")
    shown = section(tde("render", "plan", cwd=two_rounds).stdout, "### 6.3 What we changed\n", "\n## 7 ")
    assert shown.splitlines()[1].startswith("**Since round 2 (")
    assert "  - Removed: Print the summary in Vietnamese once the budget allows" in shown


def test_no_earlier_round_shows_nothing(example: Path, tde: Callable[..., Run]) -> None:
    before = tde("render", "plan", cwd=example).stdout
    assert tde("circulate", cwd=example).exit_code == 0
    after = tde("render", "plan", cwd=example)
    assert after.exit_code == 0 and "Since round" not in after.stdout
    assert section(after.stdout, "### 6.3", "## 7") == section(before, "### 6.3", "## 7")


def test_a_round_that_does_not_exist_is_a_clear_error(two_rounds: Path, tde: Callable[..., Run]) -> None:
    run = tde("render", "plan", "--changes-since", "3", cwd=two_rounds)
    assert (run.exit_code, run.stdout) == (2, "")
    assert run.stderr == (
        "error: --changes-since 3: eviction-filings-release-plan has no round 3; its rounds are 1, 2\n"
    )


def test_never_circulated(example: Path, tde: Callable[..., Run]) -> None:
    run = tde("render", "plan", "--changes-since", "1", cwd=example)
    assert run.exit_code == 2
    assert "has no round 1; it has not been circulated yet (tde circulate)" in run.stderr
