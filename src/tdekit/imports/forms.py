"""Form exports read into a header and rows, as the common tools write them (FINDINGS.md).

Google Forms' CSV or the ``.zip`` its download gives; Microsoft Forms' ``.xlsx``; SurveyMonkey's
second header row (``Response``, ``Open-Ended Response``, option labels) and Qualtrics' second
and third (question text, ``{"ImportId": ...}``); ``;``-separated KoboToolbox and Decidim files;
UTF-8 with or without BOM, cp1252 and UTF-16 "Unicode Text" (:func:`tdekit.tabular.decode_table`);
quoted cells over several lines. Each column is known by its header and, for tools with two
header rows, by its other names (Qualtrics' field id ``Q1`` and its question text). Rows are
numbered as a spreadsheet shows them (the first header row is row 1).
"""

from __future__ import annotations

import csv
import io
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

from tdekit.errors import UsageError
from tdekit.tabular import BadTable, decode_table, guess_delimiter

__all__ = ["MAX_CELL", "Table", "read_table"]

#: The longest cell read, in characters: a comment longer than this is not a comment.
MAX_CELL = 100_000
#: The largest file read whole.
MAX_FILE = 200 * 1024 * 1024
_TEXT_SUFFIXES = (".csv", ".tsv", ".tab", ".txt")


@dataclass
class Table:
    """A form export: what it is, its columns (each with its names), its rows by row number."""

    name: str
    shape: str  # "CSV, UTF-8, ',' separated", "Excel workbook", ...
    headers: list[str]
    #: column -> its other names (a second header row's), for matching a mapping.
    aliases: dict[int, list[str]] = field(default_factory=dict)
    rows: list[tuple[int, list[str]]] = field(default_factory=list)
    #: a workbook's columns of dates come as ISO dates or serial numbers
    workbook: bool = False
    #: how the tool writes dates such as 06/07/2026, when it is known (SurveyMonkey: month first)
    date_order: str | None = None

    def names(self, column: int) -> list[str]:
        return [self.headers[column], *self.aliases.get(column, [])]


def read_table(path: Path, *, encoding: str | None = None, delimiter: str | None = None) -> Table:
    """Read the form export at ``path`` (CSV/TSV, ``.xlsx``, or a ``.zip`` holding one)."""
    data = _bytes(path)
    if data.startswith(b"PK\x03\x04"):
        return _from_zip(path, encoding, delimiter)
    if path.suffix.lower() in (".xls", ".ods"):
        raise UsageError(f"{path.name}: {path.suffix} spreadsheets are not read; save it as .xlsx or CSV UTF-8")
    return _from_text(path.name, data, encoding, delimiter)


def _bytes(path: Path) -> bytes:
    """The file's bytes; a folder, pipe or device, or a file over :data:`MAX_FILE`, refused."""
    import stat

    try:
        status = path.stat()
        if stat.S_ISDIR(status.st_mode):
            raise UsageError(f"{path} is a folder; give the exported file inside it")
        if not stat.S_ISREG(status.st_mode):
            raise UsageError(f"{path} is not a regular file; save the export to a file first")
        if status.st_size > MAX_FILE:
            raise UsageError(f"{path.name}: larger than {MAX_FILE // 2**20} MB; is it a form export?")
        return path.read_bytes()
    except FileNotFoundError:
        raise UsageError(f"{path}: no such file") from None
    except OSError as err:
        raise UsageError(f"{path}: cannot read it ({err.strerror or err})") from None


def _from_zip(path: Path, encoding: str | None, delimiter: str | None) -> Table:
    try:
        with zipfile.ZipFile(path) as archive:
            names = archive.namelist()
            if "xl/workbook.xml" in names:
                return _from_workbook(path)
            tables = [n for n in names if n.lower().endswith(_TEXT_SUFFIXES) and not n.endswith("/")]
            if len(tables) != 1:
                found = ", ".join(tables[:5]) or "none"
                raise UsageError(f"{path.name}: a zip file must hold exactly one CSV or TSV file (it holds {found}); "
                                 "unpack it and give the one to import")
            info = archive.getinfo(tables[0])
            if info.file_size > MAX_FILE:
                raise UsageError(f"{path.name}: {tables[0]} is larger than {MAX_FILE // 2**20} MB")
            data = archive.read(tables[0])
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, RuntimeError) as err:
        raise BadTable(f"{path.name}: is not a readable zip file ({err})") from None
    table = _from_text(f"{path.name}/{tables[0]}", data, encoding, delimiter)
    table.shape = f"{table.shape}, inside a zip file"
    return table


def _from_workbook(path: Path) -> Table:
    from tdekit.tabular import XlsxRows

    rows: list[tuple[int, list[str]]] = []
    with XlsxRows(path) as reader:
        for cells in reader:
            rows.append((reader.line_num, cells))
            if len(rows) == 1:  # every column of dates is read as a date: Start time, Completion time
                reader.date_columns.update(range(len(cells)))
    return _shaped(path.name, "Excel workbook (.xlsx)", rows, workbook=True)


def _from_text(name: str, data: bytes, encoding: str | None, delimiter: str | None) -> Table:
    text, used = decode_table(data, name, encoding)
    text = text.removeprefix("\ufeff")
    sep = delimiter or guess_delimiter(text)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=sep, strict=False)
    rows: list[tuple[int, list[str]]] = []
    number = 0
    limit = csv.field_size_limit(MAX_CELL * 4)  # the guard below says it in words
    try:
        for cells in reader:
            number += 1
            rows.append((number, cells))
    except csv.Error as err:
        if "field larger" in str(err):
            raise BadTable(f"{name}: row {number + 1}: a cell is longer than {MAX_CELL:,} characters; "
                           "nothing was imported") from None
        raise BadTable(f"{name}: row {number + 1}: cannot be read as CSV ({err})") from None
    finally:
        csv.field_size_limit(limit)
    shown = {"\t": "tab", ";": "';'", ",": "','"}.get(sep, repr(sep))
    return _shaped(name, f"text, {used}, {shown} separated", rows)


def _shaped(name: str, shape: str, rows: list[tuple[int, list[str]]], *, workbook: bool = False) -> Table:
    """The header rows told from the data, as each tool writes them."""
    while rows and not any(cell.strip() for cell in rows[0][1]):
        rows.pop(0)
    if not rows:
        raise BadTable(f"{name}: the file is empty")
    headers = [cell.strip() for cell in rows[0][1]]
    table = Table(name, shape, headers, workbook=workbook)
    data = rows[1:]
    folded = {h.casefold() for h in headers}
    if "respondent id" in folded and data:  # SurveyMonkey: a second header row
        table.shape += ", SurveyMonkey's two header rows"
        table.date_order = "mdy"
        _survey_monkey(table, data.pop(0)[1])
    elif folded & {"responseid", "response id", "_recordid"} and data:  # Qualtrics
        table.shape += ", Qualtrics' header rows"
        second = data.pop(0)[1]
        for column, text in enumerate(second):
            if text.strip() and column < len(headers):
                table.aliases.setdefault(column, []).append(" ".join(text.split()))
        if data and all(c.strip().startswith('{"ImportId"') or not c.strip() for c in data[0][1]):
            data.pop(0)
    table.rows = [(number, cells) for number, cells in data if any(cell.strip() for cell in cells)]
    return table


def _survey_monkey(table: Table, second: list[str]) -> None:
    """Name each column from both rows: a question's extra columns by the question and option."""
    question = ""
    for column, header in enumerate(table.headers):
        below = second[column].strip() if column < len(second) else ""
        if header:
            question = header
        elif below:
            table.headers[column] = f"{question} - {below}"
        if header and below and below.casefold() not in ("response", "open-ended response"):
            table.aliases.setdefault(column, []).append(f"{header} - {below}")
