"""Rows of an ``.xlsx`` workbook's first sheet, streamed, as lists of strings like ``csv.reader``.

Standard library only: the workbook is a zip of XML parts; the sheet is read with
``xml.etree.ElementTree.iterparse`` one row at a time (each row cleared once given), so memory
holds the shared strings and one row, whatever the number of rows. A row shorter than the
first (its trailing empty cells are not stored) is filled with ``""``; an empty row is ``[]``.
Cells are given as text:
shared and inline strings as written, numbers as stored, booleans as ``TRUE``/``FALSE``. A
cell of :attr:`XlsxRows.date_columns` that holds a serial number in a date format is given as
``YYYY-MM-DD``. ``line_num`` is the sheet's row number of the last row given, for messages.
"""

from __future__ import annotations

import datetime as dt
import re
import zipfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from tdekit.errors import TdeError

_NS = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
#: Excel's built-in number formats that are dates.
_DATE_FORMATS = frozenset([*range(14, 23), *range(27, 37), *range(45, 48), *range(50, 59)])
_QUOTED = re.compile(r'"[^"]*"|\[[^\]]*\]|\\.')


class BadTable(TdeError):
    """The file cannot be read as a table: its encoding, its rows, a broken workbook, or
    nothing in it."""


class XlsxRows:
    """The rows of ``path``'s first worksheet; use as a context manager, then iterate."""

    def __init__(self, path: Path) -> None:
        self.name = path.name
        self.line_num = 0
        self.date_columns: set[int] = set()
        self._rows_left: Iterator[list[str]] | None = None
        self._width: int | None = None  # the header's: shorter rows are filled with ""
        try:
            self._zip = zipfile.ZipFile(path)
        except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError):
            raise BadTable(f"{path.name}: is not a readable .xlsx workbook (a broken zip file); "
                           "save it again, or as CSV UTF-8") from None
        names = set(self._zip.namelist())
        sheets = sorted((n for n in names if re.fullmatch(r"xl/worksheets/sheet\d+\.xml", n)),
                        key=lambda n: int(re.sub(r"\D", "", n)))
        if not sheets:
            self._zip.close()
            raise BadTable(f"{path.name}: the workbook has no worksheet")
        self._sheet = sheets[0]
        try:
            self._strings = self._shared_strings() if "xl/sharedStrings.xml" in names else []
            self._dates = self._date_styles() if "xl/styles.xml" in names else set()
            self._epoch = self._date_epoch() if "xl/workbook.xml" in names else dt.date(1899, 12, 30)
        except (zipfile.BadZipFile, OSError, SyntaxError) as err:  # ParseError is a SyntaxError
            self._zip.close()
            raise BadTable(f"{path.name}: a part of the workbook cannot be read ({err})") from None

    def __enter__(self) -> XlsxRows:
        return self

    def __exit__(self, *exc: object) -> None:
        self._zip.close()

    def _parts(self, name: str) -> Iterator[tuple[str, Any]]:
        from xml.etree.ElementTree import iterparse

        with self._zip.open(name) as handle:
            yield from iterparse(handle, events=("start", "end"))

    def _shared_strings(self) -> list[str]:
        strings: list[str] = []
        for event, elem in self._parts("xl/sharedStrings.xml"):
            if event == "end" and elem.tag == f"{_NS}si":
                strings.append(_text(elem))
                elem.clear()
        return strings

    def _date_styles(self) -> set[int]:
        custom: dict[int, str] = {}
        styles: list[int] = []
        inside = False
        for event, elem in self._parts("xl/styles.xml"):
            if elem.tag == f"{_NS}cellXfs":
                inside = event == "start"
            elif event == "end" and elem.tag == f"{_NS}numFmt":
                custom[int(elem.get("numFmtId", "0"))] = elem.get("formatCode", "")
            elif event == "end" and inside and elem.tag == f"{_NS}xf":
                styles.append(int(elem.get("numFmtId", "0")))
        return {index for index, fmt in enumerate(styles) if _is_date_format(fmt, custom.get(fmt))}

    def _date_epoch(self) -> dt.date:
        for event, elem in self._parts("xl/workbook.xml"):
            if event == "end" and elem.tag == f"{_NS}workbookPr" and elem.get("date1904", "").lower() in ("1", "true"):
                return dt.date(1904, 1, 1)
        return dt.date(1899, 12, 30)

    def __iter__(self) -> XlsxRows:
        return self

    def __next__(self) -> list[str]:
        if self._rows_left is None:
            self._rows_left = self._guarded()
        return next(self._rows_left)

    def _guarded(self) -> Iterator[list[str]]:
        from xml.etree.ElementTree import ParseError

        try:
            yield from self._rows()
        except (zipfile.BadZipFile, OSError, ParseError) as err:
            raise BadTable(f"{self.name}: the worksheet cannot be read ({err})") from None

    def _rows(self) -> Iterator[list[str]]:
        data: Any = None
        for event, elem in self._parts(self._sheet):
            if event == "start":
                if elem.tag == f"{_NS}sheetData":
                    data = elem
                continue
            if elem.tag != f"{_NS}row":
                continue
            self.line_num = int(elem.get("r") or self.line_num + 1)
            cells: list[str] = []
            for cell in elem.iter(f"{_NS}c"):
                column = _column(cell.get("r"), len(cells))
                cells.extend([""] * (column - len(cells)))
                cells.append(self._value(cell, column))
            while cells and not cells[-1]:
                cells.pop()
            if self._width is None:
                self._width = len(cells) or None
            elif cells and len(cells) < self._width:  # trailing empty cells are not stored
                cells.extend([""] * (self._width - len(cells)))
            elem.clear()
            if data is not None:
                data.clear()
            yield cells

    def _value(self, cell: Any, column: int) -> str:
        kind = cell.get("t", "n")
        if kind == "inlineStr":
            found = cell.find(f"{_NS}is")
            return _text(found) if found is not None else ""
        value = cell.findtext(f"{_NS}v") or ""
        if kind == "s":
            try:
                return self._strings[int(value)]
            except (ValueError, IndexError):
                raise BadTable(f"{self.name}:{self.line_num}: a cell names a shared string the "
                               "workbook does not have") from None
        if kind == "b":
            return "TRUE" if value == "1" else "FALSE"
        if kind == "n" and value and column in self.date_columns and int(cell.get("s", "0")) in self._dates:
            try:
                return (self._epoch + dt.timedelta(days=int(float(value)))).isoformat()
            except (ValueError, OverflowError):
                return value
        return value


def _text(elem: Any) -> str:
    """The text of a string item: its own ``t`` and its runs' ``t``, phonetic runs left out."""
    parts = [elem.find(f"{_NS}t"), *(run.find(f"{_NS}t") for run in elem.findall(f"{_NS}r"))]
    return "".join(t.text or "" for t in parts if t is not None)


def _column(ref: str | None, next_index: int) -> int:
    """The 0-based column of a cell reference such as ``AB12``; the next one when none is given."""
    if not ref:
        return next_index
    number = 0
    for char in ref:
        if not char.isalpha():
            break
        number = number * 26 + ord(char.upper()) - 64
    return number - 1 if number else next_index


def _is_date_format(fmt: int, code: str | None) -> bool:
    if code is None:
        return fmt in _DATE_FORMATS
    bare = _QUOTED.sub("", code).lower()
    return any(letter in bare for letter in "dy") or ("m" in bare and "h" not in bare and "s" not in bare)



# --- text tables: the bytes of a CSV or TSV as text ------------------------------------------

#: Byte-order marks, longest first, and the encodings they stand for.
_BOMS = ((b"\xef\xbb\xbf", "utf-8-sig"), (b"\xff\xfe", "utf-16"), (b"\xfe\xff", "utf-16"))


def decode_table(data: bytes, name: str, encoding: str | None = None) -> tuple[str, str]:
    """The text of a CSV or TSV file and the encoding it was read in.

    In the order that spreadsheet exports call for (FINDINGS.md): the encoding given; a BOM
    (Excel's "CSV UTF-8", its UTF-16 "Unicode Text"); strict UTF-8; then cp1252, Excel's code
    page in the US and western Europe, when every byte is one of its characters. Anything else
    is refused with the line of the first byte that is not UTF-8.
    """
    if encoding is not None:
        try:
            return data.decode(encoding), encoding
        except LookupError:
            raise BadTable(f"{name}: unknown encoding '{encoding}'") from None
        except UnicodeDecodeError as err:
            line = data[: err.start].count(b"\n") + 1
            raise BadTable(f"{name}:{line}: the file is not {encoding} text") from None
    for bom, codec in _BOMS:
        if data.startswith(bom):
            try:
                return data.decode(codec), codec.removesuffix("-sig")
            except UnicodeDecodeError:
                raise BadTable(f"{name}: the file starts as {codec} but is not; save it as CSV UTF-8") from None
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError as err:
        first = err.start
    if b"\x00" not in data:
        try:
            return data.decode("cp1252"), "cp1252"
        except UnicodeDecodeError:
            pass
    line = data[:first].count(b"\n") + 1
    raise BadTable(f"{name}:{line}: the file is neither UTF-8 nor Windows (cp1252) text; "
                   "save it as CSV UTF-8, or give its encoding with --encoding")


def guess_delimiter(text: str) -> str:
    """The separator of a text table, from its first line: tab, ``;`` or ``,``, whichever is
    most often outside quotes (``csv.Sniffer`` guesses wrong on short ``;`` and tab files)."""
    first = re.sub(r'"[^"]*"', "", text.split("\n", 1)[0])
    counts = {sep: first.count(sep) for sep in ("\t", ";", ",")}
    best = max(counts, key=lambda sep: counts[sep])
    return best if counts[best] else ","
