"""tde find requests reads .xlsx exports with the standard library, streamed, as the CSV path."""

from __future__ import annotations

import datetime as dt
import zipfile
from collections.abc import Callable
from pathlib import Path
from xml.sax.saxutils import escape

import pytest

from conftest import Run
from tdekit import tabular
from test_find_requests import (
    HEADER,
    SIGNAL,
    SPEC,
    log_rows,
    project,
    refused,
    run_requests,
    signal,
    write_log,
)

__all__ = ["project"]  # the fixture, used by name

MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
STYLES = (f'<styleSheet xmlns="{MAIN}"><numFmts count="1"><numFmt numFmtId="164" formatCode="yyyy\\-mm\\-dd"/>'
          '</numFmts><cellXfs count="3"><xf numFmtId="0"/><xf numFmtId="14"/><xf numFmtId="164"/></cellXfs></styleSheet>')


def column(index: int) -> str:
    name = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        name = chr(65 + rest) + name
    return name


def write_xlsx(path: Path, rows: list[list[str | int | dt.date]], *, sheet: bool = True) -> Path:
    """A real workbook: text cells as shared strings (every third as an inline string), whole
    numbers as numbers, dates as serial numbers in a date-formatted style; an empty cell left out."""
    strings: list[str] = []
    lines = []
    for r, row in enumerate(rows, 1):
        cells = []
        for c, value in enumerate(row):
            ref = f"{column(c)}{r}"
            if isinstance(value, dt.date):
                serial = (value - dt.date(1899, 12, 30)).days
                cells.append(f'<c r="{ref}" s="{1 + r % 2}"><v>{serial}</v></c>')
            elif isinstance(value, int):
                cells.append(f'<c r="{ref}"><v>{value}</v></c>')
            elif value == "":
                continue
            elif (r + c) % 3 == 0:
                cells.append(f'<c r="{ref}" t="inlineStr"><is><t xml:space="preserve">{escape(value)}</t></is></c>')
            else:
                strings.append(value)
                cells.append(f'<c r="{ref}" t="s"><v>{len(strings) - 1}</v></c>')
        lines.append(f'<row r="{r}">{"".join(cells)}</row>')
    shared = "".join(f"<si><t xml:space=\"preserve\">{escape(s)}</t></si>" for s in strings)
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as book:
        book.writestr("[Content_Types].xml", '<?xml version="1.0"?><Types/>')
        book.writestr("xl/workbook.xml", f'<workbook xmlns="{MAIN}"><workbookPr/></workbook>')
        book.writestr("xl/styles.xml", STYLES)
        book.writestr("xl/sharedStrings.xml", f'<sst xmlns="{MAIN}">{shared}</sst>')
        if sheet:
            book.writestr("xl/worksheets/sheet1.xml",
                          f'<worksheet xmlns="{MAIN}"><sheetData>{"".join(lines)}</sheetData></worksheet>')
    return path


def as_cells(rows: list[list[str]]) -> list[list[str | int | dt.date]]:
    """The generated log's rows with the key as a number and every other date as a serial date."""
    out: list[list[str | int | dt.date]] = []
    for n, row in enumerate(rows):
        created: str | dt.date = row[1]
        if n % 2 == 0:
            created = dt.date.fromisoformat(row[1][:10])
        out.append([int(row[0]), created, *row[2:]])
    return out


def test_an_xlsx_log_tallies_as_its_csv(tde: Callable[..., Run], project: Path, tmp_path: Path) -> None:
    """The same rows as .csv and as .xlsx give the same signal: counts, period, no names."""
    rows = log_rows(SPEC, dt.date(2026, 1, 5))
    options = ("--topic-column", "Complaint Type", "--date-column", "Created Date")
    book = write_xlsx(tmp_path / "311.xlsx", [list(HEADER), *as_cells(rows)])
    result = run_requests(tde, project, book, *options)
    assert result.exit_code == 0, result
    assert result.stderr == f"Wrote {SIGNAL}: 27 rows read, 2 topics found, 10 in no topic\n"
    from_xlsx = signal(project)
    assert from_xlsx["counts"] == {"housing_conditions": 9, "evictions": 8}
    assert from_xlsx["period"] == {"from": dt.date(2026, 1, 5), "to": dt.date(2026, 1, 31)}
    assert from_xlsx["file"] == "311.xlsx"
    text = (project / SIGNAL).read_text(encoding="utf-8")
    assert "Zqx" not in text and "Qwv" not in text
    (project / SIGNAL).unlink()
    run_requests(tde, project, write_log(tmp_path / "311.csv", rows), *options)
    from_csv = signal(project)
    assert {k: v for k, v in from_csv.items() if k != "file"} == {k: v for k, v in from_xlsx.items() if k != "file"}


def test_a_serial_number_outside_the_date_column_stays_a_number(
    tde: Callable[..., Run], project: Path, tmp_path: Path,
) -> None:
    """Where --where reads a date-formatted cell of another column, it sees the stored number."""
    day = dt.date(2026, 2, 3)
    rows: list[list[str | int | dt.date]] = [
        ["Created Date", "Complaint Type", "Closed"], [day, "Mold", day], [day, "Mold", ""], [day, "Eviction", day]]
    serial = str((day - dt.date(1899, 12, 30)).days)
    result = run_requests(tde, project, write_xlsx(tmp_path / "log.xlsx", rows), "--topic-column", "Complaint Type",
                          "--date-column", "Created Date", "--where", f"Closed={serial}")
    assert result.exit_code == 0, result
    data = signal(project)
    assert (data["rows"], data["counts"], data["period"]) == (2, {"housing_conditions": 1, "evictions": 1},
                                                              {"from": day, "to": day})


def test_a_broken_zip_or_a_workbook_without_a_sheet_is_refused(
    tde: Callable[..., Run], project: Path, tmp_path: Path,
) -> None:
    broken = tmp_path / "log.xlsx"
    broken.write_bytes(b"PK\x03\x04rest")
    result = refused(tde, project, broken)
    assert (result.exit_code, result.stderr) == (
        1, "error: log.xlsx: is not a readable .xlsx workbook (a broken zip file); save it again, or as CSV UTF-8\n")
    empty = write_xlsx(tmp_path / "empty.xlsx", [["Complaint Type"], ["Mold"]], sheet=False)
    result = refused(tde, project, empty)
    assert (result.exit_code, result.stderr) == (1, "error: empty.xlsx: the workbook has no worksheet\n")
    header_only = write_xlsx(tmp_path / "header.xlsx", [["Complaint Type"]])
    result = refused(tde, project, header_only)
    assert result.stderr == "error: header.xlsx: there are no rows after the header\n"
    missing = refused(tde, project, write_xlsx(tmp_path / "other.xlsx", [["Type"], ["Mold"]]))
    assert missing.exit_code == 2 and "other.xlsx has no column 'Complaint Type'" in missing.stderr


def test_a_big_table_of_shared_strings_is_read_only_for_the_columns_needed(
    tde: Callable[..., Run], project: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Past tabular.SHARED_LIMIT (lowered here), the strings of the columns not asked for (names,
    addresses) are not held, and the signal is the same as with every string held."""
    rows = log_rows(SPEC, dt.date(2026, 1, 5))
    options = ("--topic-column", "Complaint Type", "--date-column", "Created Date", "--where", "Agency=HPD")
    book = write_xlsx(tmp_path / "311.xlsx", [list(HEADER), *as_cells(rows)])
    assert run_requests(tde, project, book, *options).exit_code == 0
    every_string = signal(project)
    (project / SIGNAL).unlink()
    monkeypatch.setattr(tabular, "SHARED_LIMIT", 0)
    monkeypatch.setattr(tabular, "_HEAD_ROWS", 1)
    result = run_requests(tde, project, book, *options)
    assert result.exit_code == 0, result
    assert signal(project) == every_string and every_string["rows"] == 18
    with tabular.XlsxRows(book) as reader:
        assert next(reader) == HEADER
        reader.keep_only({1, 2, 5}, {1: 10})  # of Created Date, the first 10 characters
        held = set(reader._strings.values()) | set(reader._beginnings)
        first, second = next(reader), next(reader)
    assert (first[2], second[2]) == ("HEAT/HOT WATER", "HEAT/HOT WATER")
    assert second[1] == "01/06/2026"  # stored as text with a time, given as its first 10 characters
    assert {"HEAT/HOT WATER", "Mold", "01/06/2026"} <= held
    assert not [text for text in held if "Zqx" in text or "Qwv" in text or "AM" in text]
