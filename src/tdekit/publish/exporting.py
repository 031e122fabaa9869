"""``tde export feedback``: what we heard and what we did, as open data (CSV or JSON).

One row per piece of feedback that consent lets a rendered plan show, numbered as the plan
numbers it (F1, F2... per plan, oldest first: :func:`tdekit.publish.building.shown_feedback`).
An anonymous item keeps its words but its source is only a role (its stakeholder type, else
its channel: "A resident", "An online commenter"). Private items, and items whose values
cannot be read, are only counted: a closing line in CSV, ``withheld`` in JSON. The contact is
never a column. The finished text passes the same redaction check as a rendered plan
(:func:`tdekit.publish.redact.refuse_withheld`); nothing is printed or written when it fails.

Spreadsheets run a cell that starts with ``=``, ``+``, ``-`` or ``@`` (or a tab or carriage
return) as a formula. Every such CSV cell is written with a leading apostrophe (``'=1+2``),
which spreadsheets show as text, and every CSV field is quoted (OWASP's advice on CSV
injection). JSON is left as written: it is not opened by a spreadsheet.
"""

from __future__ import annotations

import csv
import io
import json
from dataclasses import dataclass
from typing import Any

from tdekit import labels
from tdekit.errors import UsageError
from tdekit.records.record import Project

__all__ = ["COLUMNS", "FORMATS", "FeedbackExport", "export_feedback", "neutralised"]

COLUMNS = ("plan", "number", "date", "source", "stakeholder_type", "channel", "section", "text",
           "disposition", "response", "round")
FORMATS = ("csv", "json")
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r", "\n")


@dataclass(frozen=True)
class FeedbackExport:
    rows: tuple[dict[str, Any], ...]
    withheld: int


def neutralised(cell: str) -> str:
    """``cell`` as a spreadsheet will show it and never run it: a formula start behind ``'``."""
    return "'" + cell if cell.startswith(_FORMULA_START) else cell


def collect(project: Project, plan_id: str | None) -> FeedbackExport:
    """The rows that may be published, and how many items are withheld."""
    from tdekit.publish.building import shown_feedback
    from tdekit.publish.choice import choose_plan
    from tdekit.publish.consent import showing

    plans = [r.id for r in project.of_kind("plan")]
    chosen = [choose_plan(project, plan_id).id] if plan_id is not None else plans
    rows: list[dict[str, Any]] = []
    shown_ids: set[str] = set()
    for plan in chosen:
        for number, (item, record) in enumerate(shown_feedback(project, plan), start=1):
            shown_ids.add(record.rel)
            anonymous = not showing(record).name
            rows.append({
                "plan": plan, "number": f"F{number}", "date": item.date.isoformat(),
                "source": _role(item.stakeholder_type, item.channel) if anonymous else item.source,
                "stakeholder_type": item.stakeholder_type or "", "channel": item.channel,
                "section": item.section or "", "text": record.doc.body.strip(),
                "disposition": item.disposition, "response": item.response or "",
                "round": item.round,
            })
    withheld = sum(
        1 for record in project.of_kind("feedback")
        if record.rel not in shown_ids and (plan_id is None or record.get("plan") == plan_id)
    )
    return FeedbackExport(tuple(rows), withheld)


def _role(stakeholder_type: str | None, channel: str) -> str:
    if stakeholder_type is not None:
        return labels.ANONYMOUS_PEOPLE[stakeholder_type]
    return labels.ANONYMOUS_SOURCES[channel]


def export_feedback(project: Project, plan_id: str | None, fmt: str) -> str:
    """The export as text, checked: refused (WithheldOutput) when it holds a withheld value."""
    from tdekit.publish.reading import Reading
    from tdekit.publish.redact import refuse_withheld

    if fmt not in FORMATS:
        raise UsageError(f"unknown format '{fmt}'; choose one of: {', '.join(FORMATS)}")
    data = collect(project, plan_id)
    text = _csv(data) if fmt == "csv" else _json(data, plan_id)
    reading = Reading(fmt, text)
    for number, line in enumerate(text.split("\n"), start=1):
        reading.add_text(number, line, False)
    refuse_withheld(project, reading, "feedback export")
    return text


def _csv(data: FeedbackExport) -> str:
    from tdekit.i18n import ngettext

    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, quoting=csv.QUOTE_ALL, lineterminator="\r\n")
    writer.writerow(COLUMNS)
    for row in data.rows:
        writer.writerow([neutralised("" if row[c] is None else str(row[c])) for c in COLUMNS])
    closing = ngettext(
        "Withheld: %(n)s item whose author did not agree to publication is counted here only.",
        "Withheld: %(n)s items whose authors did not agree to publication are counted here only.",
        data.withheld,
    ) % {"n": data.withheld}
    writer.writerow([neutralised(closing)])
    return buffer.getvalue()


def _json(data: FeedbackExport, plan_id: str | None) -> str:
    document = {"plan": plan_id, "items": list(data.rows), "withheld": data.withheld}
    return json.dumps(document, ensure_ascii=False, indent=2) + "\n"
