"""The signal kind (Step 1): counts of what residents already ask for, from one source."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

from conftest import Run

SIGNAL = "signals/spring-survey.md"


def new_signal(tde: Callable[..., Run], root: Path, *sets: str) -> Run:
    args = [arg for value in sets for arg in ("--set", value)]
    return tde("new", "signal", "Spring survey", *args, cwd=root)


def problems(tde: Callable[..., Run], root: Path) -> list[str]:
    return tde("validate", cwd=root).stdout.splitlines()


def test_new_signal_by_hand_validates(tde: Callable[..., Run], example: Path) -> None:
    """tde new signal writes signals/<id>.md from its template; with counts set it validates."""
    result = new_signal(
        tde, example, "source=Resident survey, spring 2026", "counts={evictions: 41, mold: 3}",
        "period={from: 2026-03-01, to: 2026-03-31}", "rows=120",
    )
    assert result.exit_code == 0, result
    assert result.stdout == f"{SIGNAL}\n"
    text = (example / SIGNAL).read_text(encoding="utf-8")
    assert "kind: survey" in text and "counts: {evictions: 41, mold: 3}" in text
    # The team puts its own words in place of the template's prompt (else: template-text).
    front, _, _ = text.partition("\n---\n")
    (example / SIGNAL).write_text(f"{front}\n---\n\nWhat 120 residents told the spring survey.\n", encoding="utf-8")
    checked = tde("validate", "--strict", cwd=example)
    assert (checked.exit_code, checked.stdout) == (0, ""), checked
    listed = json.loads(tde("list", "signal", "--format", "json", cwd=example).stdout)
    assert ("spring-survey", "survey", 120) in [(r["id"], r["signal_kind"], r["rows"]) for r in listed]


def test_a_period_that_ends_before_it_starts_is_an_error(tde: Callable[..., Run], example: Path) -> None:
    """period.to before period.from, or a period with one end, is refused by validate."""
    assert new_signal(tde, example, "source=Survey", "period={from: 2026-03-31, to: 2026-03-01}").exit_code == 0
    assert (
        f"{SIGNAL}:7:32: error: period ends (2026-03-01) before it starts (2026-03-31) [invalid-value]"
    ) in problems(tde, example)
    (example / SIGNAL).unlink()
    assert new_signal(tde, example, "source=Survey", "period={from: 2026-03-31}").exit_code == 0
    assert any("period needs both from and to (it lacks to)" in line for line in problems(tde, example))


def test_a_file_with_a_folder_and_negative_counts_are_refused(tde: Callable[..., Run], example: Path) -> None:
    """file is a name without folders; rows and counts are not negative."""
    raw = (
        "---\nid: log\ntitle: Log\nsource: 311\nkind: service_requests\nrows: -1\n"
        "counts: {mold: -2}\nfile: exports/311.csv\n---\n"
    )
    (example / "signals").mkdir(exist_ok=True)
    (example / "signals" / "log.md").write_text(raw, encoding="utf-8")
    found = problems(tde, example)
    assert "signals/log.md:6:7: error: rows must not be negative [out-of-range]" in found
    assert "signals/log.md:7:16: error: counts.mold must not be negative [out-of-range]" in found
    assert "signals/log.md:8:7: error: 'exports/311.csv' is not allowed as file [invalid-value]" in found


def test_focus_signals_must_name_signals(tde: Callable[..., Run], example: Path) -> None:
    """A focus_signals id with no signals/<id>.md is an error at its line in tde.yaml."""
    assert new_signal(tde, example, "source=Survey").exit_code == 0
    settings = example / "tde.yaml"
    text = settings.read_text(encoding="utf-8")
    settings.write_text(
        text.replace("focus_area: Housing stability and eviction prevention\n",
                     "focus_area: Housing stability and eviction prevention\n"
                     "focus_rationale: Most requests were about evictions.\n"
                     "focus_signals: [spring-survey, spring-survy]\n"),
        encoding="utf-8",
    )
    found = problems(tde, example)
    assert any(
        line.startswith("tde.yaml:")
        and "'spring-survy' in focus_signals is not a signal of this project (no signals/spring-survy.md); "
        "did you mean 'spring-survey'? [unknown-reference]" in line
        for line in found
    ), found
    assert not any("'spring-survey' in" in line for line in found)


def test_status_shows_step_1_done_only_with_its_evidence(tde: Callable[..., Run], example: Path) -> None:
    """Step 1 is done with a focus area and the signals behind it; without them, status says what to do."""
    data = json.loads(tde("status", "--format", "json", cwd=example).stdout)
    assert data["steps"][0]["done"] is True
    assert data["steps"][0]["summary"] == (
        "Housing stability and eviction prevention; evidence: 311-housing-calls-2026, records-requests-2026, "
        "council-testimony-on-rents")
    assert data["focus_rationale"].startswith("Evictions and unsafe housing conditions")
    assert "Why this focus area" in tde("status", cwd=example).stdout
    settings = example / "tde.yaml"
    text = settings.read_text(encoding="utf-8")
    focus = "focus_signals: [311-housing-calls-2026, records-requests-2026, council-testimony-on-rents]\n"
    assert focus in text
    settings.write_text(text.replace(focus, ""), encoding="utf-8")
    data = json.loads(tde("status", "--format", "json", cwd=example).stdout)
    assert data["steps"][0]["done"] is False
    assert data["steps"][0]["summary"] == "Housing stability and eviction prevention (its evidence not named yet)"
    assert data["next"][0] == (
        "Step 1: name the focus area's evidence in tde.yaml: focus_signals (the signals that led to it; "
        "see tde find) and focus_rationale")
    settings.write_text(text.replace("focus_area: Housing stability and eviction prevention", "focus_area: TBD"),
                        encoding="utf-8")
    data = json.loads(tde("status", "--format", "json", cwd=example).stdout)
    assert data["steps"][0]["summary"] == "focus area not set yet (tde.yaml says TBD); 3 signals recorded"
    assert data["next"][0].startswith("Step 1: choose the focus area from the topics tde find ranks")
