"""Read a request log (CSV or TSV, of any size) into counts per topic, in constant memory.

The file is streamed row by row through the standard library's :mod:`csv` reader; what is kept
is counts: per topic, of rows in no topic, per category in no topic (only from a category
column, never from free text), and the first and last date. No row's text leaves this module.
"""

from __future__ import annotations

import csv
import datetime as dt
import stat
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from tdekit.errors import UsageError
from tdekit.finding.topics import TopicMap
from tdekit.tabular import BadTable
from tdekit.text import CONTROL_IN_LINE, closest

#: How many categories in no topic a signal lists.
TOP_UNMATCHED = 10
#: Categories in no topic counted one by one; past this many the column is not one of categories.
_CATEGORY_LIMIT = 10_000
#: The longest category name kept.
_CATEGORY_LENGTH = 80
_DELIMITERS = {".csv": ",", ".tsv": "\t", ".tab": "\t"}
_SPREADSHEETS = (".xls", ".ods")
#: What _check_file says of an .xlsx workbook (read by tdekit.tabular), in place of a delimiter.
XLSX = "xlsx"


@dataclass(frozen=True)
class Columns:
    """The columns to read: a category column, text columns, a date column, row filters."""

    topic: str | None = None
    text: tuple[str, ...] = ()
    date: str | None = None
    where: tuple[tuple[str, str], ...] = ()


@dataclass
class Tally:
    """What a request log holds, as counts only."""

    file: str
    read: int = 0  # rows read
    rows: int = 0  # rows counted (those --where kept)
    counts: Counter[str] = field(default_factory=Counter)
    unmatched: int = 0
    unmatched_categories: Counter[str] = field(default_factory=Counter)
    categories_overflow: bool = False
    first: dt.date | None = None
    last: dt.date | None = None
    undated: int = 0  # rows whose date is blank or not read
    first_undated_line: int | None = None

    def top_unmatched(self) -> list[tuple[str, int]]:
        """The categories in no topic, most rows first (then by name), at most TOP_UNMATCHED."""
        ranked = sorted(self.unmatched_categories.items(), key=lambda item: (-item[1], item[0]))
        return [(_clean(name), rows) for name, rows in ranked[:TOP_UNMATCHED] if _clean(name)]


def tally_file(path: Path, columns: Columns, topics: TopicMap) -> Tally:
    """Count the rows of ``path`` by topic. Raises UsageError or BadTable; reads nothing twice."""
    delimiter = _check_file(path)
    try:
        if delimiter == XLSX:
            from tdekit.tabular import XlsxRows

            with XlsxRows(path) as rows:
                return _tally(rows, path.name, columns, topics)
        with path.open(encoding="utf-8-sig", newline="") as handle:
            return _tally(csv.reader(handle, delimiter=delimiter), path.name, columns, topics)
    except UnicodeDecodeError:
        raise BadTable(f"{path.name}:{_first_bad_line(path)}: the file is not UTF-8 text; "
                       "save it as CSV UTF-8 and run again") from None
    except csv.Error as err:
        raise BadTable(f"{path.name}: cannot be read as CSV: {err}") from None
    except OSError as err:
        raise UsageError(f"{path}: cannot read it ({err.strerror})") from None


def _check_file(path: Path) -> str:
    """The file's delimiter, once it is known to be a regular file of a kind tde reads."""
    try:
        mode = path.stat().st_mode
    except FileNotFoundError:
        raise UsageError(f"{path}: no such file") from None
    except OSError as err:
        raise UsageError(f"{path}: cannot read it ({err.strerror})") from None
    if stat.S_ISDIR(mode):
        raise UsageError(f"{path} is a folder; give the CSV or TSV file inside it")
    if not stat.S_ISREG(mode):
        raise UsageError(f"{path} is not a regular file (a pipe or a device); save the log to a file first")
    suffix = path.suffix.lower()
    with path.open("rb") as handle:
        start = handle.read(4096)
    if suffix in _SPREADSHEETS:
        raise UsageError(f"{path.name}: {suffix} spreadsheets are not read; save the sheet as .xlsx, "
                         "CSV UTF-8 (.csv) or tab-separated text (.tsv) and run again")
    if suffix in (".xlsx", ".xlsm") or start.startswith(b"PK\x03\x04"):
        return XLSX
    if suffix in _DELIMITERS:
        return _DELIMITERS[suffix]
    header = start.split(b"\n", 1)[0]
    return "\t" if header.count(b"\t") > header.count(b",") else ","


def _first_bad_line(path: Path) -> int:
    with path.open("rb") as handle:
        for number, line in enumerate(handle, 1):
            try:
                line.decode("utf-8")
            except UnicodeDecodeError:
                return number
    return 1


def _tally(reader: Any, name: str, columns: Columns, topics: TopicMap) -> Tally:
    """Count the rows of ``reader`` (csv.reader or tabular.XlsxRows: lists of str, a line_num)."""
    header = next(reader, None)
    while header is not None and not any(cell.strip() for cell in header):
        header = next(reader, None)
    if header is None:
        raise BadTable(f"{name}: the file is empty")
    names = [cell.strip() for cell in header]
    find = _Find(name, names)
    category = find(columns.topic) if columns.topic else None
    texts = tuple(find(c) for c in columns.text)
    date = find(columns.date) if columns.date else None
    if date is not None and hasattr(reader, "date_columns"):
        reader.date_columns.add(date)  # a workbook's serial dates are read as YYYY-MM-DD there
    where = tuple((find(c), value.strip().casefold()) for c, value in columns.where)
    tally = Tally(file=name)
    _count_rows(reader, len(names), tally, topics, category, texts, date, where)
    if tally.read == 0:
        raise BadTable(f"{name}: there are no rows after the header")
    return tally


class _Find:
    """The index of a column by its name (ignoring case and surrounding spaces), or a refusal."""

    def __init__(self, file: str, names: Sequence[str]) -> None:
        self.file = file
        self.names = list(names)
        self.folded = [n.casefold() for n in names]

    def __call__(self, wanted: str) -> int:
        key = wanted.strip().casefold()
        if key in self.folded:
            return self.folded.index(key)
        guess = closest(wanted.strip(), self.names, fold=True)
        hint = f" (did you mean '{guess}'?)" if guess else ""
        shown = ", ".join(f"'{n}'" for n in self.names[:12]) + (", ..." if len(self.names) > 12 else "")
        raise UsageError(f"{self.file} has no column '{wanted}'{hint}; its columns are {shown}")


def _count_rows(
    reader: Any, width: int, tally: Tally, topics: TopicMap, category: int | None,
    texts: tuple[int, ...], date: int | None, where: tuple[tuple[int, str], ...],
) -> None:
    """The loop over every row: the one place the time of a big file goes, so kept tight.

    Each row adds one to the count of its category's value and of its date's first ten
    characters; topics and dates are worked out once per distinct value, at the end. Only rows
    that free text must place are put in a topic one by one.
    """
    by_value: dict[str, int] = {}
    by_day: dict[str, int] = {}
    first_line: dict[str, int] = {}
    for_category, for_text, counts = topics.for_category, topics.for_text, tally.counts
    read = counted = 0
    for row in reader:
        if len(row) != width:
            if any(cell.strip() for cell in row):
                raise BadTable(f"{tally.file}:{reader.line_num}: this row has {len(row)} fields where "
                               f"the header has {width}; check the quoting of that line")
            continue  # a blank line
        read += 1
        if where and any(row[i].strip().casefold() != value for i, value in where):
            continue
        counted += 1
        if date is not None:
            day = row[date][:10]
            seen = by_day.get(day)
            if seen is not None:
                by_day[day] = seen + 1
            elif len(by_day) < _CATEGORY_LIMIT:
                first_line[day] = reader.line_num
                by_day[day] = 1
            else:  # not a column of dates, it seems: no more remembered
                _dates(tally, {day: 1}, {day: reader.line_num})
        if category is not None:
            value = row[category]
            if not texts or for_category(value) is not None:
                seen = by_value.get(value)
                if seen is not None:
                    by_value[value] = seen + 1
                elif len(by_value) < _CATEGORY_LIMIT:
                    by_value[value] = 1
                else:
                    _count_one(tally, for_category(value), value)
                continue
        topic = for_text(*[row[i] for i in texts])
        if topic is not None:
            counts[topic] += 1
        else:
            _count_one(tally, None, row[category].strip() if category is not None else None)
    tally.read, tally.rows = read, counted
    for value, rows in by_value.items():
        _count_one(tally, for_category(value), value.strip(), rows)
    _dates(tally, by_day, first_line)


def _count_one(tally: Tally, topic: str | None, category: str | None, rows: int = 1) -> None:
    """Count ``rows`` in ``topic``, or in no topic under ``category`` (a category column's value)."""
    if topic is not None:
        tally.counts[topic] += rows
        return
    tally.unmatched += rows
    if category is None:
        return
    if category in tally.unmatched_categories or len(tally.unmatched_categories) < _CATEGORY_LIMIT:
        tally.unmatched_categories[category] += rows
    else:
        tally.categories_overflow = True


def _dates(tally: Tally, by_day: dict[str, int], first_line: dict[str, int]) -> None:
    """The period from the count of rows per date, and the rows whose date could not be read."""
    days = []
    for day, rows in by_day.items():
        parsed = parse_date(day)
        if parsed is None:
            tally.undated += rows
            line = first_line[day]
            if tally.first_undated_line is None or line < tally.first_undated_line:
                tally.first_undated_line = line
        else:
            days.append(parsed)
    if days:
        first, last = min(days), max(days)
        tally.first = first if tally.first is None else min(first, tally.first)
        tally.last = last if tally.last is None else max(last, tally.last)


def parse_date(text: str) -> dt.date | None:
    """The date a value starts with, ``2026-03-14`` or ``3/14/2026`` (month first, as US exports
    write it), before a space or a ``T`` and a time; else None."""
    token = text.strip().split(" ", 1)[0].split("T", 1)[0]
    try:
        if "/" in token:
            month, day, year = token.split("/")
            if len(year) != 4:
                return None
            return dt.date(int(year), int(month), int(day))
        if len(token) == 10 and token[4] == "-" and token[7] == "-":
            return dt.date.fromisoformat(token)
    except ValueError:
        return None
    return None


def _clean(name: str) -> str:
    """A category's name as a signal keeps it: one line, no control characters, not too long."""
    text = " ".join(CONTROL_IN_LINE.sub(" ", name).split())
    return text if len(text) <= _CATEGORY_LENGTH else text[: _CATEGORY_LENGTH - 1] + "…"
