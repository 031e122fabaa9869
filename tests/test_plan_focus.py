"""The rendered plan's header cites the signals behind the focus area (focus_signals): counts only."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

import pytest

from conftest import Run

LEAD = "What residents asked for"


def render(tde: Callable[..., Run], root: Path, fmt: str) -> str:
    result = tde("render", "plan", "--format", fmt, cwd=root)
    assert result.exit_code == 0, result
    return result.stdout


def cited(text: str) -> str:
    """The plan's sentence that cites the signals."""
    found = [line for line in text.splitlines() if LEAD in line]
    assert len(found) == 1, found
    return found[0]


def set_focus_signals(root: Path, ids: str) -> None:
    settings = root / "tde.yaml"
    text = settings.read_text(encoding="utf-8")
    settings.write_text(re.sub(r"(?m)^focus_signals: .*$", f"focus_signals: {ids}", text), encoding="utf-8")


def add_signal(tde: Callable[..., Run], root: Path, title: str, *sets: str) -> None:
    args = [arg for value in sets for arg in ("--set", value)]
    result = tde("new", "signal", title, *args, cwd=root)
    assert result.exit_code == 0, result


@pytest.mark.parametrize("fmt", ["md", "html"])
def test_the_overview_cites_the_focus_signals_with_counts_only(
    tde: Callable[..., Run], example: Path, fmt: str,
) -> None:
    """Each focus signal by title, its rows and months, in tde.yaml's order; nothing else of it."""
    text = render(tde, example, fmt)
    line = cited(text)
    assert line.endswith(
        "311 housing calls 2026 (60 requests, Jan–Mar 2026); Records requests 2026 (38 requests, Jan–Mar 2026); "
        "Council testimony on rents, winter 2026 (64 comments, Jan–Mar 2026)" + ("</dd></div>" if fmt == "html" else " |")
    ), line
    # In the header, below the focus area and before the overview.
    assert text.index("Focus area") < text.index(LEAD) < text.index("Overview")
    # Counts per topic and the categories a tally could not place stay in the folder.
    assert "Noise - Residential" not in text and "Street Light" not in text and "Police incident" not in text
    assert " 26" not in line and "housing_conditions" not in text


def test_a_small_count_is_said_as_fewer_than_5(tde: Callable[..., Run], example: Path) -> None:
    add_signal(
        tde, example, "Records requests on rent", "source=Records portal", "kind=records_requests",
        "rows=3", "counts={evictions: 3}", "period={from: 2025-12-03, to: 2026-02-20}",
    )
    add_signal(
        tde, example, "March survey", "source=Survey", "kind=survey", "rows=1234",
        "counts={evictions: 1000}", "period={from: 2026-03-01, to: 2026-03-31}",
    )
    set_focus_signals(example, "[march-survey, records-requests-on-rent]")
    line = cited(render(tde, example, "md"))
    assert line.endswith(
        "March survey (1,234 answers, Mar 2026); "
        "Records requests on rent (fewer than 5 requests, Dec 2025–Feb 2026) |"
    ), line
    assert "(3 " not in line


def test_without_focus_signals_the_overview_is_as_before(tde: Callable[..., Run], example: Path) -> None:
    set_focus_signals(example, "[]")
    for fmt in ("md", "html"):
        assert LEAD not in render(tde, example, fmt)


def test_a_signal_title_stays_text(tde: Callable[..., Run], example: Path) -> None:
    add_signal(tde, example, "Calls <script>alert(1)</script> [x](javascript:alert(1))",
               "source=Calls", "kind=other", "rows=9")
    set_focus_signals(example, "[calls-script-alert-1-script-x-javascript-alert-1]")
    listed = tde("list", "signal", cwd=example).stdout
    assert "calls-script" in listed, listed
    html = render(tde, example, "html")
    assert "<script>" not in html and 'href="javascript:' not in html
    assert "(9 rows)" in cited(html)
    md = cited(render(tde, example, "md"))
    assert "(9 rows)" in md and r"\<script\>" in md and r"\[x\](javascript:" in md  # escaped: no link
