"""tde find shows, beside each topic, the partners named in the project whose records speak of it."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable
from pathlib import Path

from conftest import Run

EVICTION_PARTNERS = [
    "Department of Housing & Community Development",
    "Open Data Program",  # a role of the plan only: its plan is about eviction filings
    "Riverton County Circuit Court Clerk",
    "Riverton Legal Aid Society",
    "Riverton State University, Urban Housing Lab",
    "Riverton Tenants Union",
]


def usecase(root: Path, name: str, title: str, partners: list[str]) -> None:
    listed = "".join(f"\n  - {p}" for p in partners)
    (root / "usecases" / f"{name}.md").write_text(
        f"---\nid: {name}\ntitle: {title}\nstatus: candidate\npartners:{listed}\n---\n\nNotes.\n",
        encoding="utf-8",
    )


def ranked(tde: Callable[..., Run], root: Path) -> dict[str, list[str]]:
    result = tde("find", "--format", "json", cwd=root)
    assert result.exit_code == 0, result
    return {row["topic"]: row["partners"] for row in json.loads(result.stdout)}


def test_partners_of_use_cases_and_plan_roles_stand_beside_the_topics_they_speak_of(
    tde: Callable[..., Run], example: Path,
) -> None:
    """The example: every partner of the eviction use case and of its plan's roles, by name."""
    partners = ranked(tde, example)
    assert partners == {"evictions": EVICTION_PARTNERS, "housing_conditions": [], "sanitation": [], "noise": []}


def test_a_partner_is_matched_by_its_name_or_a_use_case_it_backs(tde: Callable[..., Run], example: Path) -> None:
    """A keyword in a use case's title, or a partner's name holding the topic's name; case ignored."""
    usecase(example, "mold-reports", "Where MOLD complaints cluster", ["Healthy Homes Coalition", "riverton tenants union"])
    usecase(example, "quiet-streets", "Quiet streets", ["Riverton Noise Abatement Office"])
    partners = ranked(tde, example)
    assert partners["housing_conditions"] == ["Healthy Homes Coalition", "Riverton Tenants Union"]  # first spelling
    assert partners["noise"] == ["Riverton Noise Abatement Office"]
    assert "Healthy Homes Coalition" not in partners["evictions"]


def test_table_and_csv_show_the_partners(tde: Callable[..., Run], example: Path) -> None:
    rows = list(csv.DictReader(io.StringIO(tde("find", "--format", "csv", cwd=example).stdout)))
    assert rows[0]["topic"] == "evictions" and rows[0]["partners"] == "; ".join(EVICTION_PARTNERS)
    assert [r["partners"] for r in rows[1:]] == ["", "", ""]
    table = tde("find", cwd=example).stdout
    assert "Partners named in the project" in table
    assert "Riverton Legal Aid Society" in table


def test_an_invalid_use_case_names_no_partner(tde: Callable[..., Run], example: Path) -> None:
    usecase(example, "mold-reports", "Mold reports", ["Healthy Homes Coalition"])
    path = example / "usecases" / "mold-reports.md"
    path.write_text(path.read_text(encoding="utf-8").replace("status: candidate", "status: maybe"), encoding="utf-8")
    assert ranked(tde, example)["housing_conditions"] == []


def test_the_example_records_request_log_tallies_to_its_signal(tde: Callable[..., Run], example: Path) -> None:
    """Tallying the example's records-request log again changes nothing; the example validates
    strictly, and no request's text leaves the log."""
    signal = example / "signals" / "records-requests-2026.md"
    before = signal.read_bytes()
    result = tde(
        "find", "requests", "data/records-requests-2026.csv", "--source", "Records requests 2026",
        "--kind", "records_requests", "--topic-column", "Subject category", "--date-column", "Received", cwd=example,
    )
    assert result.exit_code == 0, result
    assert "no change" in result.stderr + result.stdout
    assert signal.read_bytes() == before
    text = before.decode("utf-8")
    assert "counts: {evictions: 15, housing_conditions: 9, sanitation: 3}" in text
    assert "period: {from: 2026-01-08, to: 2026-03-16}" in text and "rows: 38" in text
    with (example / "data" / "records-requests-2026.csv").open(encoding="utf-8") as log:
        for row in csv.DictReader(log):
            assert row["Description"] not in text and row["Request ID"] not in text
    checked = tde("validate", "--strict", cwd=example)
    assert (checked.exit_code, checked.stdout, checked.stderr) == (0, "", "39 records checked: no problems\n")
    assert ranked(tde, example)["evictions"] == EVICTION_PARTNERS
