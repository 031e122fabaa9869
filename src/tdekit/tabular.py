"""Rows of an ``.xlsx`` workbook's first sheet, streamed, as lists of strings like ``csv.reader``.

Standard library only: the workbook is a zip of XML parts; the sheet is read with
``xml.etree.ElementTree.iterparse`` one row at a time (each row cleared once given), so memory
holds one row, whatever the number of rows, and the shared strings (the workbook's table of
distinct texts). A big table of shared strings (over :data:`SHARED_LIMIT` bytes of XML) is not
held whole: only the strings of the first rows are read at first, and once the reader is told
which columns it needs (:meth:`XlsxRows.keep_only`) only those of these columns, so that a
column of names or addresses nobody asked for never fills the memory. A row shorter than the
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
from array import array
from collections.abc import Generator, Iterator, Mapping
from pathlib import Path
from typing import Any

from tdekit.errors import TdeError

_NS = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
#: Excel's built-in number formats that are dates.
_DATE_FORMATS = frozenset([*range(14, 23), *range(27, 37), *range(45, 48), *range(50, 59)])
_QUOTED = re.compile(r'"[^"]*"|\[[^\]]*\]|\\.')
#: A table of shared strings bigger than this (bytes of XML) is read only for the cells needed.
SHARED_LIMIT = 8 * 1024 * 1024
#: The rows whose strings a big table gives at first: the header is among them.
_HEAD_ROWS = 50


class BadTable(TdeError):
    """The file cannot be read as a table: its encoding, its rows, a broken workbook, or
    nothing in it."""


class XlsxRows:
    """The rows of ``path``'s first worksheet; use as a context manager, then iterate."""

    def __init__(self, path: Path) -> None:
        self.name = path.name
        self.line_num = 0
        self.date_columns: set[int] = set()
        self._rows_left: Generator[list[str], None, None] | None = None
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
        self._sparse = False  # True when only some shared strings are read (a big table)
        self._kept: set[int] | None = None  # the columns needed, once keep_only said them
        self._strings: list[str] | dict[int, str] = []
        self._short = array("i")  # by shared string, where only its beginning is held: its code
        self._beginnings: list[str] = []  # the beginnings, by code - 1
        try:
            if "xl/sharedStrings.xml" in names:
                if self._zip.getinfo("xl/sharedStrings.xml").file_size > SHARED_LIMIT:
                    self._sparse = True
                    self._strings = self._shared_strings(self._head_indexes())
                else:
                    self._strings = list(self._shared_strings().values())
            self._dates = self._date_styles() if "xl/styles.xml" in names else set()
            self._epoch = self._date_epoch() if "xl/workbook.xml" in names else dt.date(1899, 12, 30)
        except (zipfile.BadZipFile, OSError, SyntaxError) as err:  # ParseError is a SyntaxError
            self._zip.close()
            raise BadTable(f"{path.name}: a part of the workbook cannot be read ({err})") from None

    def __enter__(self) -> XlsxRows:
        return self

    def __exit__(self, *exc: object) -> None:
        if self._rows_left is not None:
            self._rows_left.close()  # closes the worksheet's part, if rows were left unread
        self._zip.close()

    def keep_only(self, columns: set[int], first_chars: Mapping[int, int] | None = None) -> None:
        """Say which columns (0 for the first) the rows still to come are read for: with a big
        table of shared strings, cells of other columns within the header's width are given as
        ``""``, and only the strings of these columns are read (one more pass over the sheet).
        A column of ``first_chars`` is read for its first characters only (at least that many):
        the shared strings only it names are held that long, each length of text once."""
        if not self._sparse or self._kept is not None:
            return
        width = self._width or 0
        short = {c for c in first_chars or {} if c in columns}
        chars = max((first_chars or {}).values(), default=0)
        marks = bytearray()  # by shared string: 0 not needed, 1 needed whole, 2 its first chars
        try:
            for column, index in self._string_cells():
                if column in columns or column >= width:
                    if index >= len(marks):
                        marks.extend(bytes(index + 1 - len(marks) + len(marks) // 2))
                    if marks[index] != 1:
                        marks[index] = 2 if column in short else 1
            self._short = array("i", bytes(4 * len(marks)))
            beginnings: dict[str, int] = {}
            strings: dict[int, str] = self._strings  # type: ignore[assignment]
            for index, elem in self._string_items(len(marks) - 1):
                mark = marks[index]
                if mark == 1 and index not in strings:
                    strings[index] = _text(elem)
                elif mark == 2 and index not in strings:
                    code = beginnings.setdefault(_text(elem)[:chars], len(beginnings) + 1)
                    self._short[index] = code
            self._beginnings = list(beginnings)
        except (zipfile.BadZipFile, OSError, SyntaxError) as err:
            raise BadTable(f"{self.name}: the worksheet cannot be read ({err})") from None
        self._kept = columns

    def _head_indexes(self) -> set[int]:
        """The shared strings named by the first rows of the sheet."""
        wanted: set[int] = set()
        cells = self._string_cells(rows=_HEAD_ROWS)
        for _column, index in cells:
            wanted.add(index)
        return wanted

    def _string_cells(self, rows: int | None = None) -> Iterator[tuple[int, int]]:
        """(column, shared string) of each cell of the sheet that names one, ``rows`` rows at most."""
        seen = position = 0
        data: Any = None
        parts = self._parts(self._sheet)
        try:
            for event, elem in parts:
                if event == "start":
                    if elem.tag == f"{_NS}sheetData":
                        data = elem
                    continue
                if elem.tag == f"{_NS}c":
                    column = _column(elem.get("r"), position)
                    position = column + 1
                    if elem.get("t") == "s":
                        value = elem.findtext(f"{_NS}v") or ""
                        if value.isdigit():
                            yield column, int(value)
                elif elem.tag == f"{_NS}row":
                    elem.clear()
                    if data is not None:
                        data.clear()
                    seen, position = seen + 1, 0
                    if rows is not None and seen >= rows:
                        return
        finally:
            parts.close()

    def _parts(self, name: str) -> Generator[tuple[str, Any], None, None]:
        from xml.etree.ElementTree import iterparse

        with self._zip.open(name) as handle:
            yield from iterparse(handle, events=("start", "end"))

    def _shared_strings(self, wanted: set[int] | None = None) -> dict[int, str]:
        """The shared strings by index: all of them, or those ``wanted``."""
        last = max(wanted, default=-1) if wanted is not None else None
        return {index: _text(elem) for index, elem in self._string_items(last)
                if wanted is None or index in wanted}

    def _string_items(self, last: int | None = None) -> Iterator[tuple[int, Any]]:
        """(index, element) of each shared string, up to index ``last``; each let go once given."""
        index = 0
        root: Any = None
        parts = self._parts("xl/sharedStrings.xml")
        try:
            for event, elem in parts:
                if event == "start":
                    if root is None:
                        root = elem
                    continue
                if elem.tag == f"{_NS}si":
                    if last is not None and index > last:
                        return
                    yield index, elem
                    elem.clear()
                    root.clear()
                    index += 1
        finally:
            parts.close()

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

    def _guarded(self) -> Generator[list[str], None, None]:
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
            except (ValueError, IndexError, KeyError):
                code = self._short[int(value)] if value.isdigit() and int(value) < len(self._short) else 0
                if code:
                    return self._beginnings[code - 1]
                if self._sparse and value.isdigit() and (self._kept is None or column not in self._kept):
                    return ""  # a column not needed (or, before keep_only, past the first rows)
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
