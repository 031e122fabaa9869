"""The evidence for the focus area, as the plan's overview cites it: counts only.

Each signal named in tde.yaml's ``focus_signals`` is shown by its title, how many requests,
answers or comments it counted (a count under 5 as "fewer than 5", the rule of ``tde find``)
and the months it covers. Nothing else of the signal is shown: its counts per topic and the
categories it could not place stay in the team's folder.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

from tdekit.finding.small import shown
from tdekit.publish import views
from tdekit.records.record import Project

#: What a signal of each kind counted, in the plural.
NOUNS = {
    "service_requests": "requests",
    "records_requests": "requests",
    "dataset_requests": "requests",
    "survey": "answers",
    "meeting": "comments",
}


def focus_signals(project: Project, named: Sequence[str]) -> tuple[views.FocusSignal, ...]:
    """The signals ``named`` (tde.yaml's ``focus_signals``) that the project holds, checked."""
    from tdekit.records.models import Signal

    by_id = project.by_id()
    found = []
    for signal_id in named:
        record = by_id.get(signal_id)
        signal = record.values_as(Signal) if record is not None and record.kind == "signal" else None
        if signal is not None:
            found.append(_one(signal))
    return tuple(found)


def _one(signal: Any) -> views.FocusSignal:
    rows = signal.rows if signal.rows is not None else sum(signal.counts.values()) + (signal.unmatched or 0)
    count = shown(rows)
    if count.isdigit():
        count = f"{rows:,}"
    start, end = signal.period.get("from"), signal.period.get("to")
    when = months(start, end) if start is not None and end is not None else ""
    return views.FocusSignal(signal.title, f"{count} {NOUNS.get(signal.kind, 'rows')}", when)


def months(start: dt.date, end: dt.date) -> str:
    """``Jan–Mar 2026``, ``Mar 2026``, or ``Dec 2025–Feb 2026``."""
    first, last = start.strftime("%b"), end.strftime("%b")
    if start.year != end.year:
        return f"{first} {start.year}–{last} {end.year}"
    if (start.month, start.year) == (end.month, end.year):
        return f"{last} {end.year}"
    return f"{first}–{last} {end.year}"
