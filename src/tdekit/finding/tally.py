"""Read a request log (CSV or TSV, of any size) into counts per topic, in constant memory.

The file is streamed row by row through the standard library's :mod:`csv` reader; what is kept
is counts: per topic, of rows in no topic, per category in no topic (only from a category
column, never from free text), and the first and last date. No row's text leaves this module.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import os
import signal
import stat
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from itertools import chain, compress, islice, repeat
from operator import getitem, itemgetter
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
#: Rows taken at once by the counting loop.
_BATCH = 512
#: A date's part of a date and time: ``2026-03-14`` or ``03/14/2026``.
_DAY = slice(0, 10)
#: From this size on, a CSV is read in two halves at once, in two processes.
SPLIT_SIZE = 32 * 1024 * 1024
#: The row that ends the first half, to tell that the half ended between two rows.
_END = "\ufdd0tde: end of the first half"
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
    first_undated_row: int | None = None  # its row's index (from the file's first row)
    rows_before: int = 0  # the rows the reader gave, the header and blank rows included
    half_ended: bool = False  # the first half of a file read in two ended between two rows

    def add(self, other: Tally, offset: int) -> None:
        """Add the counts of ``other``, read from row ``offset`` on, to these."""
        self.read += other.read
        self.rows += other.rows
        self.counts.update(other.counts)
        self.unmatched += other.unmatched
        for category, rows in other.unmatched_categories.items():
            if category in self.unmatched_categories or len(self.unmatched_categories) < _CATEGORY_LIMIT:
                self.unmatched_categories[category] += rows
            else:
                self.categories_overflow = True
        self.categories_overflow |= other.categories_overflow
        for date in (other.first, other.last):
            if date is not None:
                self.first = date if self.first is None else min(self.first, date)
                self.last = date if self.last is None else max(self.last, date)
        self.undated += other.undated
        if self.first_undated_row is None and other.first_undated_row is not None:
            self.first_undated_row = offset + other.first_undated_row

    def top_unmatched(self) -> list[tuple[str, int]]:
        """The categories in no topic, most rows first (then by name), at most TOP_UNMATCHED."""
        ranked = sorted(self.unmatched_categories.items(), key=lambda item: (-item[1], item[0]))
        return [(_clean(name), rows) for name, rows in ranked[:TOP_UNMATCHED] if _clean(name)]


def tally_file(path: Path, columns: Columns, topics: TopicMap) -> Tally:
    """Count the rows of ``path`` by topic. Raises UsageError or BadTable.

    A CSV of :data:`SPLIT_SIZE` bytes or more is read in two halves at once, in two processes
    (see :func:`_tally_halves`); whatever goes wrong there is done again in one, so that a
    refusal names the same line either way.
    """
    delimiter = _check_file(path)
    try:
        if delimiter != XLSX and _can_fork() and path.stat().st_size >= SPLIT_SIZE:
            halves = _tally_halves(path, delimiter, columns, topics)
            if halves is not None:
                return _with_lines(halves, path, delimiter)
        return _with_lines(_tally_path(path, delimiter, columns, topics), path, delimiter)
    except _BadRow as bad:
        line = _line_of(path, delimiter, bad.index)
        raise BadTable(f"{path.name}:{line}: this row has {bad.fields} fields where "
                       f"the header has {bad.width}; check the quoting of that line") from None
    except UnicodeDecodeError:
        raise BadTable(f"{path.name}:{_first_bad_line(path)}: the file is not UTF-8 text; "
                       "save it as CSV UTF-8 and run again") from None
    except csv.Error as err:
        raise BadTable(f"{path.name}: cannot be read as CSV: {err}") from None
    except OSError as err:
        raise UsageError(f"{path}: cannot read it ({err.strerror})") from None


def _tally_path(path: Path, delimiter: str, columns: Columns, topics: TopicMap) -> Tally:
    """The whole file in this process."""
    if delimiter == XLSX:
        from tdekit.tabular import XlsxRows

        with XlsxRows(path) as rows:
            return _tally(rows, path.name, columns, topics)
    with path.open(encoding="utf-8-sig", newline="") as handle:
        return _tally(csv.reader(handle, delimiter=delimiter), path.name, columns, topics)


def _with_lines(tally: Tally, path: Path, delimiter: str) -> Tally:
    """``tally`` with the line of its first undated row, found by reading up to that row."""
    if tally.first_undated_row is not None:
        tally.first_undated_line = _line_of(path, delimiter, tally.first_undated_row)
    return tally


def _line_of(path: Path, delimiter: str, index: int) -> int:
    """The line on which row ``index`` (0 for the file's first row, blank rows included) ends.

    The counting loop reads rows by the hundred and so does not know lines; this reads the file
    again, only up to that row, when a line must be named."""
    if delimiter == XLSX:
        from tdekit.tabular import XlsxRows

        with XlsxRows(path) as rows:
            return _nth_line(rows, index)
    with path.open(encoding="utf-8-sig", newline="") as handle:
        return _nth_line(csv.reader(handle, delimiter=delimiter), index)


def _nth_line(reader: Any, index: int) -> int:
    for number, _row in enumerate(reader):
        if number == index:
            break
    line: int = reader.line_num
    return line


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


def _can_fork() -> bool:
    """Whether this process may fork: a POSIX system, and no other thread running."""
    import threading

    return hasattr(os, "fork") and threading.active_count() == 1


def _tally_halves(path: Path, delimiter: str, columns: Columns, topics: TopicMap) -> Tally | None:
    """The tally of a big CSV read in two halves at once: this process reads the first, a
    forked one the second, from a record boundary near the middle (:func:`_split_point`).

    The forked process finds the boundary (while this one starts on the first half) and sends
    it through a pipe; this one waits for it only when its reading comes near the middle. With
    no boundary, this process reads the whole file. None when the halves cannot be read so (the
    first half not ending between two rows, an error in either, the second process failing):
    the caller then reads the file in one process.
    """
    import pickle

    middle = path.stat().st_size // 2
    head = _Head(path.open("rb", buffering=0), middle)
    text = io.TextIOWrapper(io.BufferedReader(head, 1 << 16), encoding="utf-8-sig", newline="")
    with text:
        reader = csv.reader(chain(text, [_END + "\n"]), delimiter=delimiter)
        header = next(reader, None)
        skipped = 1
        while header is not None and not any(cell.strip() for cell in header):
            header, skipped = next(reader, None), skipped + 1
        if header is None or len(header) < 2:
            return None
        plan = _plan(reader, path.name, header, columns)
        split_read, split_write = os.pipe()
        read_end, write_end = os.pipe()
        child = os.fork()
        if child == 0:  # pragma: no cover (the second process: measured by its result)
            os.close(read_end)
            os.close(split_read)
            _second_half(path, delimiter, plan, topics, split_write, write_end)
        os.close(write_end)
        os.close(split_write)
        head.ask = lambda: _read_split(split_read)
        try:
            first = Tally(file=path.name)
            _count_rows(reader, skipped, first, topics, plan)
        except BaseException as err:
            os.close(read_end)
            os.kill(child, signal.SIGKILL)
            os.waitpid(child, 0)
            if isinstance(err, (_BadRow, csv.Error)):  # perhaps the split's doing: read in one
                return None
            raise
        finally:
            os.close(split_read)
    with os.fdopen(read_end, "rb") as pipe:
        try:
            second = pickle.load(pipe)
        except (EOFError, pickle.UnpicklingError):
            second = False
    os.waitpid(child, 0)
    if not first.half_ended:
        return None
    if head.limit is not None:  # the file had two halves: the second one's counts are added
        if not isinstance(second, Tally):
            return None
        first.add(second, first.rows_before - 1)  # the last row of the first half is _END's
    if first.read == 0:
        raise BadTable(f"{path.name}: there are no rows after the header")
    return first


def _read_split(pipe: int) -> int | None:
    """The boundary the second process found (None: none, or that process gone)."""
    data = b""
    while len(data) < 8:
        more = os.read(pipe, 8 - len(data))
        if not more:
            return None
        data += more
    split = int.from_bytes(data, "big", signed=True)
    return split if split > 0 else None


def _second_half(path: Path, delimiter: str, plan: _Plan, topics: TopicMap, split_out: int, out: int) -> None:
    """In the forked process: find the boundary, send it through ``split_out``, tally from it
    on, send the Tally through ``out``, exit."""
    import pickle

    result: Tally | None = None
    try:
        split = _split_point(path)
        os.write(split_out, (split or -1).to_bytes(8, "big", signed=True))
        os.close(split_out)
        if split is not None:
            with path.open("rb") as raw:
                raw.seek(split)
                with io.TextIOWrapper(raw, encoding="utf-8", newline="") as text:
                    result = Tally(file=path.name)
                    _count_rows(csv.reader(text, delimiter=delimiter), 0, result, topics, plan)
    except BaseException:  # any failure: the parent reads the file in one
        result = None
    try:
        with os.fdopen(out, "wb") as pipe:
            pickle.dump(result, pipe)
    finally:
        os._exit(0)


class _Head(io.RawIOBase):
    """A binary file up to a limit: the boundary :attr:`ask` gives, asked for when the reading
    comes to ``middle`` (no limit when it gives None)."""

    def __init__(self, raw: Any, middle: int) -> None:
        self._raw, self._middle, self._at = raw, middle, 0
        self.limit: int | None = None
        self.asked = False
        self.ask: Any = None

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        with memoryview(buffer) as view:
            size = len(view)
            if not self.asked and self._at + size > self._middle:
                if self.ask is None:  # still reading the header: up to the middle only
                    size = max(0, self._middle - self._at)
                else:
                    self.asked, self.limit = True, self.ask()
            if self.limit is not None:
                size = min(size, self.limit - self._at)
            if size <= 0:
                return 0
            count: int = self._raw.readinto(view[:size])
        self._at += count
        return count

    def close(self) -> None:
        self._raw.close()
        super().close()


def _split_point(path: Path) -> int | None:
    """The offset of a record's start near the middle of the CSV ``path``, or None.

    A newline ends a record unless it is inside a quoted field, that is after an odd number of
    quotes (a doubled quote inside a field adds two): the quotes of the first half are counted,
    then the first newline after the middle with an even count before it is the boundary. A
    stray quote in an unquoted field would mislead this count; the first half's reader then
    does not end between two rows (or its last row is cut short), and :func:`_tally_halves`
    gives up on the halves.
    """
    size = path.stat().st_size
    middle = size // 2
    with path.open("rb") as handle:
        inside = False
        left = middle
        while left:
            chunk = handle.read(min(left, 1 << 20))
            if not chunk:
                return None
            inside ^= chunk.count(b'"') % 2 == 1
            left -= len(chunk)
        offset = middle
        while chunk := handle.read(1 << 16):
            at = 0
            while True:
                newline, quote = chunk.find(b"\n", at), chunk.find(b'"', at)
                if quote >= 0 and (newline < 0 or quote < newline):
                    inside, at = not inside, quote + 1
                elif newline >= 0:
                    if not inside:
                        split = offset + newline + 1
                        return split if split < size else None
                    at = newline + 1
                else:
                    break
            offset += len(chunk)
    return None


def _first_bad_line(path: Path) -> int:
    with path.open("rb") as handle:
        for number, line in enumerate(handle, 1):
            try:
                line.decode("utf-8")
            except UnicodeDecodeError:
                return number
    return 1


class _BadRow(Exception):
    """A row (by its index from the file's first, blank rows included) of the wrong width."""

    def __init__(self, index: int, fields: int, width: int) -> None:
        super().__init__(index)
        self.index, self.fields, self.width = index, fields, width


@dataclass(frozen=True)
class _Plan:
    """Where the columns the tally reads are, once the header is known."""

    width: int
    category: int | None
    texts: tuple[int, ...]
    date: int | None
    where: tuple[tuple[int, str], ...]


def _tally(reader: Any, name: str, columns: Columns, topics: TopicMap) -> Tally:
    """Count the rows of ``reader`` (csv.reader or tabular.XlsxRows: lists of str, a line_num)."""
    header = next(reader, None)
    skipped = 1
    while header is not None and not any(cell.strip() for cell in header):
        header = next(reader, None)
        skipped += 1
    if header is None:
        raise BadTable(f"{name}: the file is empty")
    plan = _plan(reader, name, header, columns)
    tally = Tally(file=name)
    _count_rows(reader, skipped, tally, topics, plan)
    if tally.read == 0:
        raise BadTable(f"{name}: there are no rows after the header")
    return tally


def _plan(reader: Any, name: str, header: list[str], columns: Columns) -> _Plan:
    names = [cell.strip() for cell in header]
    find = _Find(name, names)
    date = find(columns.date) if columns.date else None
    if date is not None and hasattr(reader, "date_columns"):
        reader.date_columns.add(date)  # a workbook's serial dates are read as YYYY-MM-DD there
    plan = _Plan(
        width=len(names),
        category=find(columns.topic) if columns.topic else None,
        texts=tuple(find(c) for c in columns.text),
        date=date,
        where=tuple((find(c), value.strip().casefold()) for c, value in columns.where),
    )
    if hasattr(reader, "keep_only"):  # a workbook reads the text of these columns only
        whole = {i for i in (plan.category, *plan.texts, *(i for i, _ in plan.where)) if i is not None}
        dated = {date} - whole if date is not None else set()  # of a date, the tally reads _DAY
        reader.keep_only(whole | dated, dict.fromkeys(dated, _DAY.stop))
    return plan


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


def _count_rows(reader: Any, index: int, tally: Tally, topics: TopicMap, plan: _Plan) -> None:
    """The loop over every row: the one place the time of a big file goes, so kept tight.

    Rows are taken :data:`_BATCH` at a time, and each step works on a whole batch at once
    (a column picked out with ``map``, counted with ``Counter.update``, filtered with
    ``compress``), so that the work per row is done in C. Each row adds one to the count of
    its category's value and of its date's first ten characters; topics and dates are worked
    out once per distinct value. Only rows that free text must place go one by one.
    ``index`` is the number of the reader's rows before the first one counted.
    """
    by_value: Counter[str] = Counter()
    by_day: Counter[str] = Counter()
    keep: dict[str, bool] = {}  # a --where column's value -> whether it is kept
    width, category, texts, date, where = plan.width, plan.category, plan.texts, plan.date, plan.where
    pick_category = itemgetter(category) if category is not None else None
    pick_date = itemgetter(date if date is not None else 0)
    pick_where = [(itemgetter(i), value) for i, value in where]
    for_text, counts = topics.for_text, tally.counts
    read = counted = 0
    rows_of = iter(reader)
    while batch := list(islice(rows_of, _BATCH)):
        start, index = index, index + len(batch)
        positions: list[int] | None = None  # each row's index, once rows are left out
        widths = set(map(len, batch))
        if len(widths) != 1 or width not in widths:
            batch, positions = _full_rows(batch, start, width, tally)
        read += len(batch)
        for pick, value in pick_where:
            cells = list(map(pick, batch))
            for cell in set(cells).difference(keep):
                keep[cell] = cell.strip().casefold() == value
            kept = list(map(keep.__getitem__, cells))
            if positions is None:
                positions = list(range(start, start + len(batch)))
            batch, positions = list(compress(batch, kept)), list(compress(positions, kept))
            if len(keep) > _CATEGORY_LIMIT:
                keep.clear()
        counted += len(batch)
        if date is not None:
            known = len(by_day)
            by_day.update(map(getitem, map(pick_date, batch), repeat(_DAY)))
            if len(by_day) != known:
                days = [row[date][:10] for row in batch]
                _new_days(tally, by_day, known, days, positions, start)
            if len(by_day) > _CATEGORY_LIMIT:  # not a column of dates, it seems: counted as it goes
                _dates(tally, by_day)
                by_day.clear()
        if pick_category is not None and not texts:
            by_value.update(map(pick_category, batch))
        elif pick_category is not None:
            for row in batch:
                value = row[category]  # type: ignore[index]
                if topics.for_category(value) is not None:
                    by_value[value] += 1
                    continue
                topic = for_text(*[row[i] for i in texts])
                if topic is not None:
                    counts[topic] += 1
                else:
                    _count_one(tally, None, value.strip())
        else:
            found = [for_text(*[row[i] for i in texts]) for row in batch]
            unmatched = found.count(None)
            counts.update(filter(None, found))
            tally.unmatched += unmatched
        if len(by_value) > _CATEGORY_LIMIT:  # not a column of categories: counted as it goes
            _categories(tally, topics, by_value)
            by_value.clear()
    tally.read, tally.rows = read, counted
    _categories(tally, topics, by_value)
    _dates(tally, by_day)
    tally.rows_before = index


def _full_rows(batch: list[list[str]], start: int, width: int, tally: Tally) -> tuple[list[list[str]], list[int]]:
    """The rows of ``batch`` as wide as the header, and their indexes; blank lines are left
    out, the end of a half (:data:`_END`) noted, any other row refused."""
    rows, positions = [], []
    for offset, row in enumerate(batch, start):
        if len(row) == width:
            rows.append(row)
            positions.append(offset)
        elif row == [_END]:
            tally.half_ended = True
        elif any(cell.strip() for cell in row):
            raise _BadRow(offset, len(row), width)
    return rows, positions


def _new_days(
    tally: Tally, by_day: Counter[str], known: int, days: list[str], positions: list[int] | None, start: int,
) -> None:
    """Note the row of the first date that cannot be read, among the dates first seen in a batch."""
    if tally.first_undated_row is not None:
        return
    for day in list(by_day)[known:]:  # a dict keeps the order in which its keys came
        if parse_date(day) is None:
            offset = days.index(day)
            row = positions[offset] if positions is not None else start + offset
            if tally.first_undated_row is None or row < tally.first_undated_row:
                tally.first_undated_row = row


def _categories(tally: Tally, topics: TopicMap, by_value: Counter[str]) -> None:
    for value, rows in by_value.items():
        _count_one(tally, topics.for_category(value), value.strip(), rows)


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


def _dates(tally: Tally, by_day: Counter[str]) -> None:
    """The period from the count of rows per date, and how many rows have a date not read."""
    days = []
    for day, rows in by_day.items():
        parsed = parse_date(day)
        if parsed is None:
            tally.undated += rows
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
