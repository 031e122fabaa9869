"""Which column fills which field of a feedback record, and the rows read as such entries.

A field's column comes from ``--map FIELD=COLUMN``, else ``tde.yaml``'s
``imports.feedback.columns``, else a guess from the headers the common form tools write
(:data:`GUESSES`); ``--dry-run`` shows which, and how each was found. A column ``--map`` names
that the file lacks is refused with the file's columns and a did-you-mean; one that only
``tde.yaml`` names (it describes the project's usual form, and this file may be another) is
left out and said so, and its field guessed. E-mail needs no mapping: each
message gives its sender, date, subject and text.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from tdekit.errors import UsageError
from tdekit.text import closest

if TYPE_CHECKING:
    from tdekit.imports.feedback import FeedbackOptions
    from tdekit.imports.forms import Table

__all__ = ["FIELDS", "GUESSES", "Entry", "Mapping_", "map_table", "read_entries"]

#: The fields a column can fill (``body`` is the record's text).
FIELDS = ("date", "source", "contact", "section", "body", "consent", "stakeholder_type")
#: Headers guessed for each field, as patterns over the folded header, best first.
GUESSES: dict[str, tuple[str, ...]] = {
    "date": (r"timestamp", r"completion time", r"submit date.*", r"end ?date", r"created_at",
             r"submitted( at| on)?", r"date", r"start ?(date|time)", r"recordeddate"),
    "contact": (r"e-?mail( address)?", r"your e-?mail( address)?", r"author/email"),
    "source": (r"(your )?(full )?name", r"author/name", r"name \(optional\)", r"first name"),
    "section": (r".*\bsection\b.*", r".*part of the plan.*", r"§"),
    "body": (r"body", r".*\bcomments?\b.*", r".*\bfeedback\b.*", r".*\bsuggestions?\b.*",
             r"open-ended response"),
    "consent": (r".*\bpublish\b.*", r".*\bconsent\b.*", r".*\bquote\b.*"),
    "stakeholder_type": (r".*describes? you.*", r".*stakeholder.*", r"are you an?.*", r"you are.*"),
}


@dataclass(frozen=True)
class Column:
    field: str
    index: int
    header: str
    how: str  # "--map", "tde.yaml", "guessed"


@dataclass(frozen=True)
class Mapping_:
    """The columns found for the fields, in the order of :data:`FIELDS`; the headers left out."""

    columns: tuple[Column, ...]
    unused: tuple[str, ...]
    #: (field, header) that tde.yaml names and the file lacks.
    missing: tuple[tuple[str, str], ...] = ()


@dataclass(frozen=True)
class Entry:
    """One row or message, as the fields' texts (a date already read is ISO)."""

    where: str
    fields: dict[str, str]
    problem: str | None = None
    dates_read: bool = False
    extra: dict[str, Any] = field(default_factory=dict)


def fold(text: str) -> str:
    """A header or an answer as it is compared: runs of whitespace as one space, case folded."""
    return " ".join(text.split()).casefold()


def map_table(table: Table, maps: dict[str, str], configured: dict[str, str]) -> Mapping_:
    """Each field's column: given on the command line, in ``tde.yaml``, or guessed."""
    by_name: dict[str, int] = {}
    for index in range(len(table.headers)):
        for name in table.names(index):
            by_name.setdefault(fold(name), index)
    columns: dict[str, Column] = {}
    missing: list[tuple[str, str]] = []
    for how, given in (("--map", maps), ("tde.yaml", configured)):
        for name, header in given.items():
            if name in columns or not header:
                continue
            found = by_name.get(fold(header))
            if found is None and how == "tde.yaml":
                missing.append((name, header))
                continue
            if found is None:
                guess = closest(header, [h for h in table.headers if h], fold=True)
                hint = f" (did you mean '{guess}'?)" if guess else ""
                raise UsageError(f"{table.name} has no column '{header}' for {name} (from {how}){hint}; "
                                 f"its columns are {_listed(table.headers)}")
            columns[name] = Column(name, found, table.headers[found], how)
    taken = {c.index for c in columns.values()}
    for name in FIELDS:
        if name in columns:
            continue
        guessed = _guess(table, name, taken)
        if guessed is not None:
            columns[name] = Column(name, guessed, table.headers[guessed], "guessed")
            taken.add(guessed)
    for needed in ("body", "date"):
        if needed not in columns:
            what = "the comment's text (body)" if needed == "body" else "the date"
            raise UsageError(f"{table.name}: no column found for {what}; name it with --map {needed}=COLUMN "
                             f"or in tde.yaml's imports.feedback.columns; its columns are {_listed(table.headers)}")
    ordered = tuple(columns[name] for name in FIELDS if name in columns)
    used = {c.index for c in ordered}
    unused = tuple(h for i, h in enumerate(table.headers) if i not in used and h)
    return Mapping_(ordered, unused, tuple(missing))


def _guess(table: Table, name: str, taken: set[int]) -> int | None:
    for pattern in GUESSES[name]:
        for index in range(len(table.headers)):
            if index in taken:
                continue
            if any(re.fullmatch(pattern, fold(n)) for n in table.names(index)):
                return index
    return None


def _listed(headers: list[str]) -> str:
    shown = [f"'{h}'" for h in headers if h][:15]
    return ", ".join(shown) + (", ..." if len([h for h in headers if h]) > 15 else "")


def read_entries(
    source: Path, options: FeedbackOptions, config: dict[str, Any]
) -> tuple[str, Mapping_ | None, list[Entry]]:
    """What ``source`` is, its mapping (None for e-mail), and its rows or messages as entries."""
    if _is_mail(source):
        from tdekit.imports.forms import MAX_CELL
        from tdekit.imports.mail import read_mail

        messages = read_mail(source)
        entries = [
            Entry(m.where, {"date": m.date.isoformat() if m.date else m.date_text, "source": m.name,
                            "contact": m.address, "section": m.section, "body": m.text},
                  f"its text is longer than {MAX_CELL:,} characters" if len(m.text) > MAX_CELL else None,
                  dates_read=True, extra={"subject": m.subject})
            for m in messages
        ]
        return f"e-mail, {len(messages)} message{'s' if len(messages) != 1 else ''}", None, entries
    from tdekit.imports.forms import MAX_CELL, read_table

    table = read_table(source, encoding=options.encoding, delimiter=options.delimiter)
    mapping = map_table(table, options.maps, dict((config.get("columns") or {}).items()))
    width = len(table.headers)
    entries = []
    for number, cells in table.rows:
        problem = None
        if len(cells) > width and any(c.strip() for c in cells[width:]):
            problem = f"it has {len(cells)} cells where the header has {width}; check the quoting of that row"
        elif any(len(c) > MAX_CELL for c in cells):
            problem = f"a cell is longer than {MAX_CELL:,} characters"
        fields = {c.field: cells[c.index] if c.index < len(cells) else "" for c in mapping.columns}
        entries.append(Entry(f"row {number}", fields, problem,
                             extra={"workbook": table.workbook, "date_order": table.date_order}))
    return table.shape, mapping, entries


def _is_mail(source: Path) -> bool:
    if source.is_dir() or source.suffix.lower() in (".eml", ".mbox", ".mbx"):
        return True
    try:
        with source.open("rb") as handle:
            start = handle.read(5)
    except OSError:
        return False
    return start == b"From "
