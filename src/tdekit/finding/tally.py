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
from typing import Any, TextIO

from tdekit.errors import TdeError, UsageError
from tdekit.finding.topics import TopicMap
from tdekit.text import CONTROL_IN_LINE, closest

#: How many categories in no topic a signal lists.
TOP_UNMATCHED = 10
#: Categories in no topic counted one by one; past this many the column is not one of categories.
_CATEGORY_LIMIT = 10_000
#: Date values remembered with the date they stand for (one per day at most, in a log).
_DATE_CACHE_LIMIT = 100_000
#: The longest category name kept.
_CATEGORY_LENGTH = 80
_DELIMITERS = {".csv": ",", ".tsv": "\t", ".tab": "\t"}
_SPREADSHEETS = (".xlsx", ".xlsm", ".xls", ".ods")


class BadTable(TdeError):
    """The file cannot be read as a table: its encoding, its rows, or nothing in it."""


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
        with path.open(encoding="utf-8-sig", newline="") as handle:
            return _tally(handle, path.name, delimiter, columns, topics)
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
    if suffix in _SPREADSHEETS or start.startswith(b"PK\x03\x04"):
        raise UsageError(f"{path.name}: spreadsheets are not read; save the sheet as CSV UTF-8 (.csv) "
                         "or tab-separated text (.tsv) and run again")
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


def _tally(handle: TextIO, name: str, delimiter: str, columns: Columns, topics: TopicMap) -> Tally:
    reader = csv.reader(handle, delimiter=delimiter)
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
    """The loop over every row, kept tight: the one place the time of a big file goes."""
    for_category, for_text = topics.for_category, topics.for_text
    counts, unmatched_categories = tally.counts, tally.unmatched_categories
    dates = _Dates(tally)
    for row in reader:
        if len(row) != width:
            if not row or not any(cell.strip() for cell in row):
                continue  # a blank line
            raise BadTable(f"{tally.file}:{reader.line_num}: this row has {len(row)} fields where the header has "
                           f"{width}; check the quoting of that line")
        tally.read += 1
        if where and any(row[i].strip().casefold() != value for i, value in where):
            continue
        tally.rows += 1
        topic = None
        if category is not None:
            topic = for_category(row[category])
        if topic is None and texts:
            topic = for_text(*[row[i] for i in texts])
        if topic is not None:
            counts[topic] += 1
        else:
            tally.unmatched += 1
            if category is not None:
                value = row[category].strip()
                if value in unmatched_categories or len(unmatched_categories) < _CATEGORY_LIMIT:
                    unmatched_categories[value] += 1
                else:
                    tally.categories_overflow = True
        if date is not None:
            dates.add(row[date], reader.line_num)


class _Dates:
    """The first and last date of a column of ISO or US dates (``03/14/2026 09:30:00 AM``)."""

    def __init__(self, tally: Tally) -> None:
        self.tally = tally
        self.cache: dict[str, dt.date | None] = {}

    def add(self, value: str, line: int) -> None:
        token = value.strip().split(" ", 1)[0].split("T", 1)[0]
        try:
            day = self.cache[token]
        except KeyError:
            day = parse_date(token)
            if len(self.cache) < _DATE_CACHE_LIMIT:
                self.cache[token] = day
        tally = self.tally
        if day is None:
            tally.undated += 1
            if tally.first_undated_line is None:
                tally.first_undated_line = line
            return
        if tally.first is None or day < tally.first:
            tally.first = day
        if tally.last is None or day > tally.last:
            tally.last = day


def parse_date(token: str) -> dt.date | None:
    """``2026-03-14`` or ``3/14/2026`` (month first, as US exports write it) as a date, else None."""
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
