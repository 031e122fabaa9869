"""tde find requests: a request log tallied into a signal, counts only, on real files."""

from __future__ import annotations

import csv
import datetime as dt
import os
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from conftest import Run
from tdekit.records.frontmatter import read_document

TOPICS = """
find:
  strategic_priorities:
    - Keep residents housed and prevent displacement through eviction
    - Safe and healthy homes
  topics:
    evictions: [eviction, lockout]
    housing_conditions: [mold, heat, leak]
    noise: [loud]
"""
HEADER = ["Unique Key", "Created Date", "Complaint Type", "Descriptor", "Incident Address", "Agency"]
SIGNAL = "signals/311-service-requests.md"


@pytest.fixture
def project(empty_project: Path) -> Path:
    """A new project with find.topics in its tde.yaml."""
    settings = empty_project / "tde.yaml"
    text = settings.read_text(encoding="utf-8")
    # A project past its first edit: what tde init wrote as placeholders is replaced.
    text = re.sub(r"(?m)^organization: .*$", "organization: City of Riverton, Open Data Program", text)
    text = re.sub(r"(?m)^focus_area: .*$", "focus_area: Housing stability", text)
    settings.write_text(text + TOPICS, encoding="utf-8")
    return empty_project


def write_log(path: Path, rows: list[list[str]], *, delimiter: str = ",", header: list[str] = HEADER,
              encoding: str = "utf-8") -> Path:
    with path.open("w", encoding=encoding, newline="") as handle:
        writer = csv.writer(handle, delimiter=delimiter)
        writer.writerow(header)
        writer.writerows(rows)
    return path


def log_rows(spec: dict[str, int], start: dt.date) -> list[list[str]]:
    """Rows whose categories are known: ``spec`` maps a category to how many rows have it.
    Each row has a unique resident name, address and description with commas and a newline."""
    rows: list[list[str]] = []
    for category, count in spec.items():
        for _ in range(count):
            key = len(rows)
            when = start + dt.timedelta(days=key)
            created = when.strftime("%m/%d/%Y 09:3%S AM").replace("%S", "0") if key % 2 else when.isoformat()
            rows.append([
                str(1000 + key), created, category,
                f"Resident Zqx{key}name says, \"it's bad\"\non floor {key}",
                f"{key} Qwv{key}street Ave, Apt {key}", "HPD" if key % 3 else "DOB",
            ])
    return rows


def signal(root: Path, rel: str = SIGNAL) -> dict[str, Any]:
    doc = read_document((root / rel).read_bytes(), rel)
    assert doc.data is not None, doc.problems
    return doc.data


def run_requests(tde: Callable[..., Run], root: Path, file: Path, *extra: str) -> Run:
    return tde("find", "requests", str(file), "--source", "311 service requests", *extra, cwd=root)


SPEC = {"HEAT/HOT WATER": 7, "Illegal Lockout": 3, "Eviction": 5, "Noise - Residential": 6,
        "Street Light Condition": 4, "Mold": 2}


def test_every_count_of_a_generated_log(tde: Callable[..., Run], project: Path, tmp_path: Path) -> None:
    """Rows per topic, rows in no topic, the categories in no topic and the period, exactly."""
    log = write_log(tmp_path / "311.csv", log_rows(SPEC, dt.date(2026, 1, 5)))
    result = run_requests(tde, project, log, "--topic-column", "complaint type", "--date-column", "Created Date")
    assert result.exit_code == 0, result
    assert result.stdout == f"{SIGNAL}\n"
    assert result.stderr == f"Wrote {SIGNAL}: 27 rows read, 2 topics found, 10 in no topic\n"
    data = signal(project)
    assert data["source"] == "311 service requests" and data["kind"] == "service_requests"
    assert data["rows"] == 27 and data["file"] == "311.csv"
    assert data["counts"] == {"housing_conditions": 9, "evictions": 8}
    assert data["unmatched"] == 10
    assert data["top_unmatched"] == [
        {"category": "Noise - Residential", "rows": 6}, {"category": "Street Light Condition", "rows": 4},
    ]
    assert data["period"] == {"from": dt.date(2026, 1, 5), "to": dt.date(2026, 1, 31)}
    checked = tde("validate", "--strict", cwd=project)
    assert (checked.exit_code, checked.stdout) == (0, ""), checked


def test_text_columns_of_a_tsv_match_whole_words(tde: Callable[..., Run], project: Path, tmp_path: Path) -> None:
    """Keywords in free text count as whole words ignoring case: 'Moldy' is not 'mold'."""
    rows = [["1", "2026-02-01", "x", "MOLD in the bathroom", "a", "HPD"],
            ["2", "2026-02-02", "x", "moldy bread", "b", "HPD"],
            ["3", "2026-02-03", "x", "an eviction notice; also mold", "c", "HPD"],
            ["4", "2026-02-04", "x", "LOUD party", "d", "HPD"]]
    log = write_log(tmp_path / "log.tsv", rows, delimiter="\t")
    result = run_requests(tde, project, log, "--text-column", "Descriptor")
    assert result.exit_code == 0, result
    data = signal(project)
    # the first topic of tde.yaml wins when a text names two
    assert data["counts"] == {"evictions": 1, "housing_conditions": 1, "noise": 1}
    assert (data["unmatched"], data["top_unmatched"]) == (1, [])
    assert data["period"] == {}


def test_where_keeps_only_the_rows_asked_for(tde: Callable[..., Run], project: Path, tmp_path: Path) -> None:
    """--where Agency=hpd counts the rows of that agency only (ignoring case)."""
    log = write_log(tmp_path / "311.csv", log_rows(SPEC, dt.date(2026, 1, 5)))
    result = run_requests(tde, project, log, "--topic-column", "Complaint Type", "--where", "Agency=hpd")
    assert result.exit_code == 0, result
    assert "27 rows read, 18 counted" in result.stderr
    assert signal(project)["rows"] == 18


def test_running_again_replaces_the_counts_and_keeps_the_teams_words(
    tde: Callable[..., Run], project: Path, tmp_path: Path
) -> None:
    """A second run replaces the counts, keeps title, tags and body, and prints what changed."""
    log = write_log(tmp_path / "311.csv", log_rows(SPEC, dt.date(2026, 1, 5)))
    assert run_requests(tde, project, log, "--topic-column", "Complaint Type").exit_code == 0
    path = project / SIGNAL
    text = path.read_text(encoding="utf-8")
    body_at = text.index("\n---\n") + 5
    path.write_text(
        text[:body_at].replace('title: "311 service requests"', "title: 311 calls, 2026")
        .replace("tags: []", "tags: [calls]") + "\nExported by Dana from the CRM; excludes app requests.\n",
        encoding="utf-8",
    )
    more = dict(SPEC, **{"Eviction": 9, "Mold": 0, "Noise - Residential": 6})
    write_log(log, log_rows(more, dt.date(2026, 1, 5)))
    result = run_requests(tde, project, log, "--topic-column", "Complaint Type", "--date-column", "Created Date")
    assert result.exit_code == 0, result
    assert result.stderr.splitlines() == [
        f"Replaced the counts of {SIGNAL}:",
        "  rows: 27 -> 29",
        "  period.from: none -> 2026-01-05",
        "  period.to: none -> 2026-02-02",
        "  counts.evictions: 8 -> 12",
        "  counts.housing_conditions: 9 -> 7",
    ]
    data = signal(project)
    assert (data["title"], data["tags"], data["rows"]) == ("311 calls, 2026", ["calls"], 29)
    assert path.read_text(encoding="utf-8").endswith("\nExported by Dana from the CRM; excludes app requests.\n")
    again = run_requests(tde, project, log, "--topic-column", "Complaint Type", "--date-column", "Created Date")
    assert again.stderr == f"{SIGNAL}: no change\n"


def test_no_row_text_name_or_address_leaves_the_file(tde: Callable[..., Run], project: Path, tmp_path: Path) -> None:
    """Names, addresses and descriptions appear in no record and no output, in any format."""
    rows = log_rows(SPEC, dt.date(2026, 1, 5))
    log = write_log(tmp_path / "311.csv", rows)
    runs = [
        run_requests(tde, project, log, "--topic-column", "Complaint Type", "--text-column", "Descriptor",
                     "--text-column", "Incident Address", "--date-column", "Created Date"),
        run_requests(tde, project, log, "--text-column", "Descriptor", "--date-column", "Created Date"),
        tde("find", cwd=project), tde("find", "--format", "json", cwd=project),
        tde("find", "--format", "csv", cwd=project), tde("list", "signal", "--format", "json", cwd=project),
        tde("status", cwd=project), tde("validate", cwd=project),
    ]
    said = "".join(run.stdout + run.stderr for run in runs) + (project / SIGNAL).read_text(encoding="utf-8")
    assert all(run.exit_code == 0 for run in runs), runs
    for row in rows:
        for private in (row[3].split(" says")[0], row[3].split("\n")[1], row[4]):
            assert private not in said


def refused(tde: Callable[..., Run], project: Path, file: Path, *extra: str) -> Run:
    result = run_requests(tde, project, file, *(extra or ("--topic-column", "Complaint Type")))
    assert result.stdout == ""
    assert list((project / "signals").iterdir()) == []
    return result


def test_bad_files_are_refused_and_nothing_is_written(tde: Callable[..., Run], project: Path, tmp_path: Path) -> None:
    """A missing column, bad encoding, a ragged row, an empty file, a folder, a FIFO, a sheet."""
    log = write_log(tmp_path / "311.csv", log_rows(SPEC, dt.date(2026, 1, 5)))
    result = refused(tde, project, log, "--topic-column", "Complaint Typ")
    assert (result.exit_code, result.stderr) == (2, (
        "error: 311.csv has no column 'Complaint Typ' (did you mean 'Complaint Type'?); its columns are "
        "'Unique Key', 'Created Date', 'Complaint Type', 'Descriptor', 'Incident Address', 'Agency'\n"))
    latin = tmp_path / "latin.csv"
    latin.write_bytes(b"Complaint Type,Descriptor\nHeat,ok\nHeat,caf\xe9\n")
    result = refused(tde, project, latin)
    assert (result.exit_code, result.stderr) == (
        1, "error: latin.csv:3: the file is not UTF-8 text; save it as CSV UTF-8 and run again\n")
    ragged = tmp_path / "ragged.csv"
    ragged.write_text('Complaint Type,Descriptor\nHeat,ok\nHeat,"a, b",extra\n', encoding="utf-8")
    result = refused(tde, project, ragged)
    assert (result.exit_code, result.stderr) == (1, (
        "error: ragged.csv:3: this row has 3 fields where the header has 2; check the quoting of that line\n"))
    empty = tmp_path / "empty.csv"
    empty.write_bytes(b"")
    assert refused(tde, project, empty).stderr == "error: empty.csv: the file is empty\n"
    header_only = tmp_path / "header.csv"
    header_only.write_text("Complaint Type\n", encoding="utf-8")
    assert refused(tde, project, header_only).stderr == "error: header.csv: there are no rows after the header\n"
    result = refused(tde, project, tmp_path)
    assert (result.exit_code, result.stderr) == (2, f"error: {tmp_path} is a folder; give the CSV or TSV file inside it\n")
    fifo = tmp_path / "pipe.csv"
    os.mkfifo(fifo)
    result = refused(tde, project, fifo)
    assert result.exit_code == 2 and "is not a regular file" in result.stderr
    sheet = tmp_path / "log.xls"
    sheet.write_bytes(b"\xd0\xcf\x11\xe0rest")
    result = refused(tde, project, sheet)
    assert result.exit_code == 2 and "save the sheet as .xlsx, CSV UTF-8 (.csv)" in result.stderr
    missing = refused(tde, project, tmp_path / "nope.csv")
    assert (missing.exit_code, missing.stderr) == (2, f"error: {tmp_path / 'nope.csv'}: no such file\n")


def test_bad_options_are_usage_errors(tde: Callable[..., Run], project: Path, tmp_path: Path) -> None:
    """No topic column nor text column, an unknown --kind, a --where without '=', no topics."""
    log = write_log(tmp_path / "311.csv", log_rows(SPEC, dt.date(2026, 1, 5)))
    result = refused(tde, project, log, "--date-column", "Created Date")
    assert result.exit_code == 2 and "--topic-column C" in result.stderr
    result = refused(tde, project, log, "--topic-column", "Complaint Type", "--kind", "servce_requests")
    assert result.stderr.startswith("error: --kind: 'servce_requests' is not a kind of signal (did you mean 'service_requests'?)")
    result = refused(tde, project, log, "--topic-column", "Complaint Type", "--where", "Agency")
    assert (result.exit_code, result.stderr) == (2, "error: --where: 'Agency' is not COL=VALUE\n")
    settings = project / "tde.yaml"
    settings.write_text(settings.read_text(encoding="utf-8").split("\nfind:")[0], encoding="utf-8")
    result = refused(tde, project, log)
    assert result.exit_code == 2 and "tde.yaml has no find.topics" in result.stderr


def test_a_bom_and_unreadable_dates(tde: Callable[..., Run], project: Path, tmp_path: Path) -> None:
    """A UTF-8 BOM before the header is read; rows whose date cannot be read are counted, not fatal."""
    rows = [["1", "03/14/2026 11:59:59 PM", "Mold", "x", "y", "HPD"],
            ["2", "not a date", "Mold", "x", "y", "HPD"],
            ["3", "", "Mold", "x", "y", "HPD"],
            ["4", "2026-02-30", "Mold", "x", "y", "HPD"],
            ["5", "2026-03-01T08:00:00", "Mold", "x", "y", "HPD"]]
    log = write_log(tmp_path / "311.csv", rows, encoding="utf-8-sig")
    result = run_requests(tde, project, log, "--topic-column", "Complaint Type", "--date-column", "created date")
    assert result.exit_code == 0, result
    assert result.stderr.splitlines()[1] == (
        "note: fewer than 5 rows had a blank date or one tde could not read (the first on line 3); "
        "dates are read as YYYY-MM-DD or MM/DD/YYYY")
    assert signal(project)["period"] == {"from": dt.date(2026, 3, 1), "to": dt.date(2026, 3, 14)}


def test_a_source_whose_id_another_kind_holds_is_refused(tde: Callable[..., Run], project: Path, tmp_path: Path) -> None:
    """The signal's id is the slug of --source; an interview with that id stops the write."""
    log = write_log(tmp_path / "311.csv", log_rows(SPEC, dt.date(2026, 1, 5)))
    assert tde("new", "interview", "Eastside tenant", cwd=project).exit_code == 0
    result = tde("find", "requests", str(log), "--source", "Eastside tenant", "--topic-column", "Complaint Type",
                 cwd=project)
    assert result.exit_code == 1
    assert "interviews/eastside-tenant.md already has the id 'eastside-tenant'" in result.stderr
    assert list((project / "signals").iterdir()) == []


def test_a_row_that_fits_several_topics_counts_once_in_the_first_listed(
    tde: Callable[..., Run], project: Path, tmp_path: Path
) -> None:
    """tde.yaml lists evictions, housing_conditions, noise: a category or a text naming a later
    topic first and an earlier one after is counted once, in the earlier topic."""
    rows = [["1", "2026-02-01", "Heat and Eviction", "loud music and mold, then an eviction notice", "a", "HPD"],
            ["2", "2026-02-02", "Loud heat", "LOUD, then MOLD", "b", "HPD"],
            ["3", "2026-02-03", "Loud", "loud", "c", "HPD"]]
    log = write_log(tmp_path / "311.csv", rows)
    assert run_requests(tde, project, log, "--topic-column", "Complaint Type").exit_code == 0
    assert signal(project)["counts"] == {"evictions": 1, "housing_conditions": 1, "noise": 1}
    assert run_requests(tde, project, log, "--text-column", "Descriptor").exit_code == 0
    assert signal(project)["counts"] == {"evictions": 1, "housing_conditions": 1, "noise": 1}
    assert signal(project)["rows"] == 3


def test_counts_under_5_are_said_fewer_than_5(tde: Callable[..., Run], project: Path, tmp_path: Path) -> None:
    """The summary says no count from 1 to 4 as a number: rows read and counted, rows in no
    topic, rows without a date; the signal keeps the exact counts."""
    rows = log_rows({"Mold": 3, "Noise - Residential": 2}, dt.date(2026, 1, 5))
    rows[4][1] = ""
    log = write_log(tmp_path / "311.csv", rows)
    result = run_requests(tde, project, log, "--topic-column", "Complaint Type", "--date-column", "Created Date",
                          "--where", "Agency=HPD")
    assert result.exit_code == 0, result
    assert result.stderr.splitlines() == [
        f"Wrote {SIGNAL}: 5 rows read, fewer than 5 counted, 1 topic found, fewer than 5 in no topic",
        "note: fewer than 5 rows had a blank date or one tde could not read (the first on line 11); "
        "dates are read as YYYY-MM-DD or MM/DD/YYYY",
    ]
    assert not re.search(r"\b[1-4] (rows|counted|in no topic)", result.stderr)
    data = signal(project)
    assert (data["rows"], data["counts"], data["unmatched"]) == (3, {"housing_conditions": 2}, 1)
