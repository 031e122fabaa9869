"""``tde list``: a table for people, JSON for scripts, filters by kind and status."""

from __future__ import annotations

import json
import re
import unicodedata
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from conftest import Run
from tdekit.records.frontmatter import read_document

KINDS = {
    "signal": "signals",
    "interview": "interviews",
    "persona": "personas",
    "usecase": "usecases",
    "plan": "plans",
    "feedback": "feedback",
    "update": "updates",
}
STATUS = {"usecase": "status", "plan": "status", "feedback": "disposition"}


def on_disk(root: Path, kind: str) -> dict[str, dict[str, Any]]:
    """The front matter of every record of ``kind``, read straight from the files."""
    found = {}
    for path in sorted((root / KINDS[kind]).glob("*.md")):
        doc = read_document(path.read_bytes(), path.name)
        assert doc.data is not None
        found[path.stem] = doc.data
    return found


def body_lines(table: str) -> list[str]:
    """The lines of a table below its header rule."""
    lines = table.splitlines()
    rule = next(i for i, line in enumerate(lines) if line.strip().startswith("─"))
    return [line for line in lines[rule + 1 :] if line.strip()]


def listed(tde: Callable[..., Run], root: Path, *args: str) -> list[dict[str, Any]]:
    result = tde("list", *args, "--format", "json", cwd=root)
    assert result.exit_code == 0, result
    value = json.loads(result.stdout)
    assert isinstance(value, list)
    return value


@pytest.mark.parametrize("kind", list(KINDS))
def test_json_lists_every_record_of_a_kind(tde: Callable[..., Run], example: Path, kind: str) -> None:
    """Each kind lists exactly the files in its folder, with their front-matter fields."""
    records = listed(tde, example, kind)
    files = on_disk(example, kind)
    assert files
    assert [r["id"] for r in records] == list(files)
    for record in records:
        assert record["kind"] == kind
        assert record["path"] == f"{KINDS[kind]}/{record['id']}.md"
        assert record["valid"] is True
        assert record["title"] == files[record["id"]]["title"]
        assert set(files[record["id"]]) <= set(record)


def test_json_dates_are_iso_strings(tde: Callable[..., Run], example: Path) -> None:
    """Dates come out as 'YYYY-MM-DD' text, equal to what the file says."""
    records = listed(tde, example, "interview")
    raw = {p.stem: p.read_text() for p in (example / "interviews").glob("*.md")}
    for record in records:
        assert re.fullmatch(r"\d{4}-\d{2}-\d{2}", record["date"])
        assert f"\ndate: {record['date']}" in raw[record["id"]]


def test_listing_everything_covers_all_kinds_in_the_methods_order(
    tde: Callable[..., Run], example: Path
) -> None:
    """Without KIND every record is listed, grouped by kind as the method orders them."""
    records = listed(tde, example)
    total = sum(len(on_disk(example, kind)) for kind in KINDS)
    assert len(records) == total
    assert [r["kind"] for r in records] == [k for k in KINDS for _ in on_disk(example, k)]
    assert [r["id"] for r in records] == [i for k in KINDS for i in on_disk(example, k)]
    result = tde("list", cwd=example)
    assert result.exit_code == 0
    assert result.stderr == f"{total} records\n"


def test_the_table_shows_ids_titles_and_key_fields(tde: Callable[..., Run], example: Path) -> None:
    """The use-case table has its key columns and every id in full."""
    result = tde("list", "usecase", cwd=example)
    assert result.exit_code == 0, result
    header = result.stdout.splitlines()[0].split()
    assert header == ["id", "title", "status", "personas", "evidence"]
    for record_id, data in on_disk(example, "usecase").items():
        row = next(line for line in result.stdout.splitlines() if line.split()[:1] == [record_id])
        assert data["status"] in row.split()


@pytest.mark.parametrize("kind", list(STATUS))
def test_status_filters_records(tde: Callable[..., Run], example: Path, kind: str) -> None:
    """--status keeps the records of the kind whose status (feedback: disposition) matches."""
    files = on_disk(example, kind)
    for status in {data[STATUS[kind]] for data in files.values()}:
        records = listed(tde, example, kind, "--status", status)
        expected = [i for i, data in files.items() if data[STATUS[kind]] == status]
        assert [r["id"] for r in records] == expected


def test_status_without_a_kind_filters_across_kinds(tde: Callable[..., Run], example: Path) -> None:
    """A status of one kind, given without KIND, finds that kind's records only."""
    records = listed(tde, example, "--status", "selected")
    assert [(r["kind"], r["status"]) for r in records] == [("usecase", "selected")]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["persona", "--status", "draft"], "error: personas have no status to filter on\n"),
        (["interview", "--status", "open"], "error: interviews have no status to filter on\n"),
        (["usecase", "--status", "draft"],
         "error: unknown status 'draft'; choose one of: candidate, shortlisted, selected, parked\n"),
        (["--status", "done"],
         "error: unknown status 'done'; choose one of: candidate, shortlisted, selected, parked, "
         "draft, circulated, revised, final, open, accepted, partly_accepted, declined\n"),
        (["meetings"], "error: unknown kind 'meetings'; choose one of: signal, interview, persona, usecase, plan, feedback, update\n"),
    ],
)
def test_bad_filters_are_usage_errors(
    tde: Callable[..., Run], example: Path, args: list[str], message: str
) -> None:
    """A status the kind cannot have, or an unknown kind, exits 2 and lists the choices."""
    result = tde("list", *args, cwd=example)
    assert result.exit_code == 2
    assert result.stdout == ""
    assert result.stderr == message


def test_an_unknown_format_is_a_usage_error(tde: Callable[..., Run], example: Path) -> None:
    """--format takes table or json."""
    result = tde("list", "--format", "xml", cwd=example)
    assert result.exit_code == 2
    assert "choose one of: table, json" in result.stderr


def test_an_empty_project_lists_nothing(tde: Callable[..., Run], empty_project: Path) -> None:
    """A fresh project lists no records: an empty JSON array, and '0 records' for people."""
    assert listed(tde, empty_project) == []
    result = tde("list", cwd=empty_project)
    assert result.exit_code == 0
    assert result.stderr == "0 records\n"


def test_invalid_records_are_flagged_not_hidden(tde: Callable[..., Run], empty_project: Path) -> None:
    """Records with problems are listed, marked '(!)' and valid: false, with a pointer to validate."""
    interviews = empty_project / "interviews"
    (interviews / "broken-yaml.md").write_text("---\nid: broken-yaml\ntitle: [unclosed\n---\n")
    (interviews / "bad-choice.md").write_text(
        "---\nid: bad-choice\ntitle: Bad choice\ndate: 2026-03-01\ninterviewee: A\n"
        "stakeholder_type: alien\ntactic: interview\nconsent: public\nkind: sneaky\n---\n"
    )
    assert tde("new", "interview", "Fine", "--set", "interviewee=B", "--set",
               "stakeholder_type=resident", cwd=empty_project).exit_code == 0
    records = {r["id"]: r for r in listed(tde, empty_project, "interview")}
    assert records["broken-yaml"] == {
        "kind": "interview", "path": "interviews/broken-yaml.md", "valid": False,
        "id": "broken-yaml", "title": "broken-yaml",
    }
    assert records["bad-choice"]["valid"] is False
    assert records["bad-choice"]["stakeholder_type"] == "alien"
    assert records["bad-choice"]["kind"] == "interview"  # a stray field cannot mask the kind
    assert records["bad-choice"]["date"] == "2026-03-01"
    assert records["fine"]["valid"] is True

    result = tde("list", "interview", cwd=empty_project)
    assert result.exit_code == 0
    rows = {line.split()[0]: line for line in body_lines(result.stdout) if line[:2].strip()}
    assert "broken-yaml (!)" in rows["broken-yaml"]
    assert "bad-choice (!)" in rows["bad-choice"]
    assert "(!)" not in rows["fine"]
    assert result.stderr == "3 records\n2 of them have problems; run 'tde validate' to see them.\n"


def test_titles_are_shown_as_typed(tde: Callable[..., Run], empty_project: Path) -> None:
    """Rich markup and angle brackets in a title stay literal in the table."""
    title = "[bold red]Loud[/bold red] <b>and</b> {{ 7*7 }}"
    assert tde("new", "persona", title, "--id", "loud", cwd=empty_project).exit_code == 0
    result = tde("list", "persona", cwd=empty_project)
    assert title in result.stdout
    assert "49" not in result.stdout


def test_long_ids_are_never_cut_in_the_table(tde: Callable[..., Run], empty_project: Path) -> None:
    """However long the title, the id column shows each id whole on its line."""
    for n in range(3):
        long_title = f"Record {n} with a title long enough to need wrapping across several lines " * 2
        assert tde("new", "usecase", long_title, cwd=empty_project).exit_code == 0
    result = tde("list", "usecase", cwd=empty_project)
    ids = sorted(p.stem for p in (empty_project / "usecases").glob("*.md"))
    shown = [line.split()[0] for line in body_lines(result.stdout) if line[:2].strip()]
    assert [i.removesuffix(" (!)") for i in shown] == ids


def test_json_stays_valid_json_for_values_json_cannot_hold(
    tde: Callable[..., Run], empty_project: Path
) -> None:
    """NaN and infinity in a broken record come out as their YAML text, not invalid JSON."""
    (empty_project / "personas" / "odd.md").write_text(
        "---\nid: odd\ntitle: .nan\ntags: [.inf, -.inf, 1.5]\n---\n"
    )
    result = tde("list", "--format", "json", cwd=empty_project)

    def refuse(name: str) -> None:
        raise AssertionError(f"{name} is not JSON")

    (record,) = json.loads(result.stdout, parse_constant=refuse)
    assert record["title"] == ".nan"
    assert record["tags"] == [".inf", "-.inf", 1.5]


def test_the_table_fits_80_columns_with_every_id_whole(
    tde: Callable[..., Run], example: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """At 80 columns titles wrap, no line is wider, and each record's id is whole on its line."""
    monkeypatch.setenv("COLUMNS", "80")
    result = tde("list", cwd=example)
    assert result.exit_code == 0, result
    assert max(len(line) for line in result.stdout.splitlines()) <= 80
    shown = [line.split()[1] for line in body_lines(result.stdout) if line[:2].strip()]
    assert shown == [i for k in KINDS for i in on_disk(example, k)]


def test_wide_characters_keep_the_columns_aligned(
    tde: Callable[..., Run], empty_project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A title in Chinese takes two columns a character, and the columns after it stay in line."""
    monkeypatch.setenv("COLUMNS", "60")
    for title, record_id in (("王芳谈机场走廊的路灯和夜班公交车站的安全问题", "wang-fang"), ("Night buses", "night")):
        assert tde("new", "persona", title, "--id", record_id, "--set", "role=Rider",
                   "--set", "data_skills=low", cwd=empty_project).exit_code == 0
    result = tde("list", "persona", cwd=empty_project)
    assert result.exit_code == 0, result

    def cells(text: str) -> int:
        return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)

    lines = result.stdout.splitlines()
    assert max(cells(line) for line in lines) <= 60
    ends = {cells(line[: line.index("Rider")]) for line in lines if "Rider" in line}
    assert len(ends) == 1  # the role column starts at the same place on both rows


def test_one_record_with_problems_is_one(tde: Callable[..., Run], empty_project: Path) -> None:
    """One record with a problem is counted in the singular: '1 of them has problems'."""
    (empty_project / "personas" / "broken.md").write_text("---\nid: broken\ntitle: [unclosed\n---\n")
    result = tde("list", cwd=empty_project)
    assert result.exit_code == 0, result
    assert result.stderr == "1 record\n1 of them has problems; run 'tde validate' to see it.\n"


#: The columns of each kind at 80 columns in the example: the ids are long, so the fields that
#: matter least give their room to the title.
AT_80 = {
    "interview": (["id", "title", "date"], ["stakeholder_type", "consent", "tactic"]),
    "persona": (["id", "title", "role"], ["data_skills"]),
    "usecase": (["id", "title", "status"], ["personas", "evidence"]),
    "plan": (["id", "title", "status"], ["usecase"]),
    "feedback": (["id", "title", "disposition"], ["date", "channel", "plan"]),
    "": (["kind", "id", "title"], ["status"]),
}
#: The least width of the title column at 80 columns: about five words. Feedback keeps its
#: disposition, what its listing is for, beside ids of 34 characters, and so a little less.
TITLE_AT_80 = {"feedback": 25}


@pytest.mark.parametrize("kind", list(AT_80))
def test_at_80_columns_nothing_but_text_is_split(
    tde: Callable[..., Run], example: Path, monkeypatch: pytest.MonkeyPatch, kind: str
) -> None:
    """At 80 columns headers, ids, dates and choices stay whole on one line, and titles keep room.

    Fields left out to make that room are named on stderr; the JSON keeps them.
    """
    monkeypatch.setenv("COLUMNS", "80")
    result = tde("list", *([kind] if kind else []), cwd=example)
    assert result.exit_code == 0, result
    lines = result.stdout.splitlines()
    assert max(len(line) for line in lines) <= 80
    shown, dropped = AT_80[kind]
    assert lines[0].split() == shown
    assert lines[1].startswith("─")
    records = listed(tde, example, *([kind] if kind else []))
    starts = [line for line in lines[2:] if line[:1] != " "]  # the first line of each record
    assert len(starts) == len(records)
    title_at = lines[0].index("title")
    after = lines[0].index(shown[shown.index("title") + 1]) if shown[-1] != "title" else 80
    assert after - title_at - 2 >= TITLE_AT_80.get(kind, 30)  # the title column
    for line, record in zip(starts, records, strict=True):
        for name in shown:
            if name in ("title", "role"):
                continue
            field = STATUS.get(record["kind"], "none") if not kind and name == "status" else name
            value = record.get(field)
            cell = str(len(value)) if isinstance(value, list) else ("" if value is None else str(value))
            assert line[lines[0].index(name) :].split("  ")[0].strip() == cell, (name, line)
    count = len(records)
    note = f"; left out to fit 80 columns: {', '.join(dropped)} (--format json has every field)" if dropped else ""
    assert result.stderr == f"{count} record{'s' if count != 1 else ''}{note}\n"
