"""One feedback record made from one entry: its values read, its text made safe, its bytes.

Text is made safe as tdekit keeps every record: control characters and bidi reordering
controls dropped, one-line fields on one line, the body's line ends made LF; a leading ``'``
that a spreadsheet put before ``= + - @`` is removed (the export adds its own). Consent comes
only from the person's answer through ``consent_values``: no answer, or one not listed, is
``private``. An e-mail address is kept only in ``contact``. The record is written by
:func:`tdekit.scaffold.write_record` and checked by the border like any other.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from tdekit.errors import UsageError
from tdekit.imports.mapping import fold
from tdekit.records.kinds import FOLDERS, STAKEHOLDER_TYPES
from tdekit.text import CONTROL_IN_FILE, REORDERING

if TYPE_CHECKING:
    from tdekit.imports.feedback import FeedbackOptions
    from tdekit.imports.mapping import Entry
    from tdekit.records.record import Project

_ISO = re.compile(r"(\d{4})[-/](\d{1,2})[-/](\d{1,2})(?:$|[\sT])")
_LOCAL = re.compile(r"(\d{1,2})[/.\-](\d{1,2})[/.\-](\d{4})(?:$|[\s,T])")
_SERIAL = re.compile(r"\d{5}(?:\.\d+)?")
_FORMULA_QUOTE = re.compile(r"^'(?=[=+\-@])")
_EMAIL = re.compile(r"[^\s@<>]+@[^\s@<>]+\.[^\s@<>]+")
_TITLE_LENGTH = 72
#: The longest id made from a title, before the six characters of the import key.
_ID_STEM = 28


@dataclass(frozen=True)
class Made:
    id: str
    path: str
    raw: bytes
    consent: str
    date: dt.date
    section: str


def clean_line(text: str) -> str:
    """One line of text as a record keeps it."""
    return " ".join(_FORMULA_QUOTE.sub("", clean_body(text)).split())


def clean_body(text: str) -> str:
    """Text of several lines as a record keeps it: LF line ends, no controls, no trailing spaces."""
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\u2028", "\n").replace("\u2029", "\n\n")
    text = REORDERING.sub("", CONTROL_IN_FILE.sub("", text)).replace("\t", "    ")
    text = _FORMULA_QUOTE.sub("", text.strip())
    return "\n".join(line.rstrip() for line in text.split("\n")).strip()


class Maker:
    """Makes the records of one import; knows the ids taken and the order of the dates."""

    def __init__(self, project: Project, options: FeedbackOptions, config: dict[str, Any],
                 entries: list[Entry], default_channel: str) -> None:
        from tdekit.clock import today
        from tdekit.scaffold import RecordWriter

        self.root = project.root
        self.options = options
        form_channel = None if default_channel == "email" else config.get("channel")  # tde.yaml's is the form's
        self.channel = options.channel or form_channel or default_channel
        self.answers = {fold(k): v for k, v in (config.get("consent_values") or {}).items()}
        self.taken = {r.id.casefold() for r in project.records}
        self.today = today()
        self.writer = RecordWriter("feedback", root=project.root, today=self.today)
        known = next((e.extra["date_order"] for e in entries if e.extra.get("date_order")), None)
        self.order = options.dates or known or _date_order([e.fields.get("date", "") for e in entries if not e.dates_read])

    def make(self, entry: Entry, key: str) -> Made:
        from tdekit.records.schema import check_record

        if entry.problem:
            raise UsageError(entry.problem)
        fields = entry.fields
        date = self._date(fields.get("date", ""), entry)
        body = clean_body(fields.get("body", ""))
        contact = clean_line(fields.get("contact", ""))
        found = _EMAIL.search(contact)
        contact = found.group() if found else contact
        source = clean_line(fields.get("source", ""))
        if _EMAIL.fullmatch(source):  # an address is kept only as the contact
            contact, source = contact or source, ""
        stakeholder = _stakeholder(fields.get("stakeholder_type", ""))
        consent = self.answers.get(fold(clean_line(fields.get("consent", ""))), "private")
        section = clean_line(fields.get("section", ""))
        subject = clean_line(str(entry.extra.get("subject", "")))
        title = _title(subject, body)
        record_id = self._id(title, key)
        values: dict[str, object] = {
            "id": record_id, "title": title, "plan": self.options.plan, "date": date,
            "source": source or _anonymous(stakeholder, self.channel), "consent": consent,
            "channel": self.channel, "section": section or None, "stakeholder_type": stakeholder,
            "contact": contact or None, "round": self.options.round, "import_key": key,
        }
        rel = f"{FOLDERS['feedback']}/{record_id}.md"
        raw, doc = self.writer.write({k: v for k, v in values.items() if v is not None}, body)
        check_record(doc, "feedback")
        errors = [p for p in doc.problems if p.severity == "error"]
        if errors:
            raise UsageError(f"the record it makes is refused: {errors[0].message}")
        return Made(record_id, rel, raw, consent, date, section)

    def _date(self, text: str, entry: Entry) -> dt.date:
        text = " ".join(text.split())
        if not text:
            raise UsageError("it has no date")
        parsed = _parse_date(text, self.order, bool(entry.extra.get("workbook")))
        if parsed is None:
            raise UsageError(f"'{text[:40]}' is not a date tde reads (2026-03-14, 14/03/2026 or 3/14/2026)")
        return parsed

    def _id(self, title: str, key: str) -> str:
        from tdekit.scaffold import slugify

        slug = slugify(title)
        stem = (slug[:_ID_STEM + 1].rsplit("-", 1)[0] if len(slug) > _ID_STEM else slug) or "comment"
        candidate = f"{stem}-{key[:6]}"
        number = 1
        while candidate.casefold() in self.taken:
            number += 1
            candidate = f"{stem}-{key[:6]}-{number}"
        self.taken.add(candidate.casefold())
        return candidate


def _date_order(texts: list[str]) -> str | None:
    """``dmy`` or ``mdy`` when the column's dates settle it; None when none is ambiguous.

    Raises UsageError when both orders are seen, or when a date reads both ways and nothing in
    the column tells which.
    """
    day_first = month_first = False
    ambiguous = ""
    for text in texts:
        found = _LOCAL.match(text.strip())
        if not found:
            continue
        first, second = int(found.group(1)), int(found.group(2))
        day_first |= first > 12 >= second
        month_first |= second > 12 >= first
        if first <= 12 and second <= 12 and first != second and not ambiguous:
            ambiguous = text.strip()
    if day_first and month_first:
        raise UsageError("the dates are written both day-first and month-first; give --dates dmy or --dates mdy")
    if day_first or month_first:
        return "dmy" if day_first else "mdy"
    if ambiguous:
        raise UsageError(f"the dates could be day-first or month-first ('{ambiguous[:30]}'); "
                         "give --dates dmy or --dates mdy")
    return None


def _parse_date(text: str, order: str | None, workbook: bool) -> dt.date | None:
    try:
        found = _ISO.match(text)
        if found:
            return dt.date(int(found.group(1)), int(found.group(2)), int(found.group(3)))
        found = _LOCAL.match(text)
        if found:
            first, second, year = (int(g) for g in found.groups())
            day, month = (first, second) if order == "dmy" else (second, first)
            return dt.date(year, month, day)
        if workbook and _SERIAL.fullmatch(text):  # a workbook's date as Excel's serial number
            return dt.date(1899, 12, 30) + dt.timedelta(days=int(float(text)))
    except (ValueError, OverflowError):
        return None
    return None


def _stakeholder(answer: str) -> str | None:
    """A stakeholder type from an answer such as "Resident" or "A community group"."""
    key = re.sub(r"[^a-z]+", "_", fold(answer)).strip("_")
    key = re.sub(r"^(an?|i_am_an?)_", "", key)
    for candidate in (key, key.removesuffix("s")):
        if candidate in STAKEHOLDER_TYPES:
            return candidate
    return None


def _anonymous(stakeholder: str | None, channel: str) -> str:
    """A source in words that name no one, when the person gave no name."""
    from tdekit import labels

    if stakeholder is not None:
        return labels.ANONYMOUS_PEOPLE[stakeholder]
    return labels.ANONYMOUS_SOURCES.get(channel, "A participant")


def _title(subject: str, body: str) -> str:
    """The subject (without Re:/Fwd:), or the text's first sentence or words, at most a line long."""
    text = re.sub(r"^(?:(?:re|fwd?|aw|wg|tr)\s*:\s*)+", "", subject, flags=re.IGNORECASE) or " ".join(body.split())
    text = text or "Comment"
    first = re.split(r"(?<=[.!?])\s", text, maxsplit=1)[0]
    if len(first) <= _TITLE_LENGTH and len(first.split()) >= 3:
        return first
    if len(text) <= _TITLE_LENGTH:
        return text
    return text[:_TITLE_LENGTH].rsplit(" ", 1)[0].rstrip(",;:.") + "…"
