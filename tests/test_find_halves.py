"""tde find requests on a CSV big enough to be read in two halves at once, in two processes.

The size from which a file is split is lowered so that small generated logs take that path;
every count, the period, the line of the first unreadable date and the line of a refused row
must be what reading the file in one gives.
"""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from conftest import Run
from tdekit.finding import tally
from test_find_requests import SIGNAL, log_rows, project, run_requests, signal, write_log

__all__ = ["project"]  # the fixture, used by name

SPEC = {"HEAT/HOT WATER": 700, "Illegal Lockout": 301, "Eviction": 502, "Noise - Residential": 613,
        "Street Light Condition": 404, "Mold": 3}


@pytest.fixture
def forks(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[int]]:
    """Files of any size are split; the list gets a 1 each time the process forks."""
    if not hasattr(os, "fork"):
        pytest.skip("no fork on this system")
    made: list[int] = []
    real_fork = os.fork

    def counted_fork() -> int:
        made.append(1)
        return real_fork()

    monkeypatch.setattr(tally, "SPLIT_SIZE", 1)
    # A thread an earlier test left running would make tde read in one process; the forked
    # process here only counts and exits.
    monkeypatch.setattr(tally, "_can_fork", lambda: True)
    monkeypatch.setattr(os, "fork", counted_fork)
    yield made


def one_process(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(tally, "SPLIT_SIZE", 1 << 62)


def test_halves_count_as_one(tde: Callable[..., Run], project: Path, tmp_path: Path, forks: list[int],
                             monkeypatch: pytest.MonkeyPatch) -> None:
    """Every count, the period and the undated note, with rows of quoted commas and newlines."""
    rows = log_rows(SPEC, dt.date(2020, 1, 5))
    rows[2100][1] = "unknown"  # in the second half: the note names its line
    log = write_log(tmp_path / "311.csv", rows)
    result = run_requests(tde, project, log, "--topic-column", "Complaint Type", "--date-column", "Created Date")
    assert result.exit_code == 0, result
    assert forks == [1]
    assert "(the first on line 4203)" in result.stderr  # header, then two lines a row
    data = signal(project)
    assert data["rows"] == 2523
    assert data["counts"] == {"housing_conditions": 703, "evictions": 803}
    assert (data["unmatched"], data["top_unmatched"]) == (1017, [
        {"category": "Noise - Residential", "rows": 613}, {"category": "Street Light Condition", "rows": 404}])
    assert data["period"] == {"from": dt.date(2020, 1, 5), "to": dt.date(2020, 1, 5) + dt.timedelta(days=2522)}
    one_process(monkeypatch)
    again = run_requests(tde, project, log, "--topic-column", "Complaint Type", "--date-column", "Created Date")
    note = [line for line in result.stderr.splitlines(keepends=True) if line.startswith("note:")]
    assert (again.exit_code, again.stderr) == (0, f"{SIGNAL}: no change\n" + "".join(note))
    assert forks == [1]


def test_halves_with_where_and_text(tde: Callable[..., Run], project: Path, tmp_path: Path, forks: list[int]) -> None:
    """--where and --text-column give the same counts in two processes as the rows say."""
    rows = log_rows(SPEC, dt.date(2020, 1, 5))
    for number, row in enumerate(rows):
        row[3] = "LOUD music, again" if number % 4 == 0 else "a leak, \"twice\"\nand more"
    log = write_log(tmp_path / "311.csv", rows)
    result = run_requests(tde, project, log, "--text-column", "Descriptor", "--where", "agency=dob")
    assert result.exit_code == 0, result
    kept = [n for n, row in enumerate(rows) if row[5] == "DOB"]
    assert signal(project)["counts"] == {
        "housing_conditions": sum(1 for n in kept if n % 4), "noise": sum(1 for n in kept if n % 4 == 0)}
    assert signal(project)["rows"] == len(kept) and forks == [1]


def test_a_refused_row_in_the_second_half_names_its_line(
    tde: Callable[..., Run], project: Path, tmp_path: Path, forks: list[int]
) -> None:
    rows = log_rows(SPEC, dt.date(2020, 1, 5))
    rows[2400].append("one field too many")
    log = write_log(tmp_path / "311.csv", rows)
    result = run_requests(tde, project, log, "--topic-column", "Complaint Type")
    assert (result.exit_code, result.stderr) == (1, (
        "error: 311.csv:4803: this row has 7 fields where the header has 6; check the quoting of that line\n"))
    assert list((project / "signals").iterdir()) == [] and forks == [1]


def test_a_stray_quote_before_the_middle_reads_the_file_in_one(
    tde: Callable[..., Run], project: Path, tmp_path: Path, forks: list[int]
) -> None:
    """A quote inside an unquoted field (read as a character) misleads the count of quotes that
    finds the middle; the first half then does not end between two rows, and the file is read
    again in one, with the same counts."""
    rows = log_rows(SPEC, dt.date(2020, 1, 5))
    rows[10][5] = 'HPD 5" pipe'  # csv writes it quoted: the quote is doubled, even
    log = write_log(tmp_path / "311.csv", rows)
    text = log.read_text(encoding="utf-8").replace('"HPD 5"" pipe"', 'HPD 5" pipe', 1)
    log.write_text(text, encoding="utf-8")
    assert tally._split_point(log) is not None
    result = run_requests(tde, project, log, "--topic-column", "Complaint Type")
    assert result.exit_code == 0, result
    assert forks == [1]
    data = signal(project)
    assert (data["rows"], data["counts"]) == (2523, {"housing_conditions": 703, "evictions": 803})
