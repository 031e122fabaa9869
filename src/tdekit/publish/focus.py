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

from tdekit import i18n
from tdekit.finding.small import SMALL
from tdekit.publish import views
from tdekit.records.record import Project

#: What a signal of each kind counted, in the plural.
NOUNS = {
    "service_requests": i18n.N_("%(count)s requests"),
    "records_requests": i18n.N_("%(count)s requests"),
    "dataset_requests": i18n.N_("%(count)s requests"),
    "survey": i18n.N_("%(count)s answers"),
    "meeting": i18n.N_("%(count)s comments"),
}
OTHER = i18n.N_("%(count)s rows")


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
    from babel.numbers import format_decimal

    if 0 < rows < SMALL:  # the small-count rule of tde find (tdekit.finding.small)
        count = i18n.gettext("fewer than %(n)s") % {"n": SMALL}
    else:
        count = format_decimal(rows, locale=i18n.locale())
    start, end = signal.period.get("from"), signal.period.get("to")
    when = months(start, end) if start is not None and end is not None else ""
    return views.FocusSignal(signal.title, i18n.gettext(NOUNS.get(signal.kind, OTHER)) % {"count": count}, when)


def months(start: dt.date, end: dt.date) -> str:
    """``Jan–Mar 2026``, ``Mar 2026``, or ``Dec 2025–Feb 2026``: months in the output's language."""
    first, last = i18n.month(start), i18n.month(end)
    if start.year != end.year:
        return f"{first} {start.year}–{last} {end.year}"
    if (start.month, start.year) == (end.month, end.year):
        return f"{last} {end.year}"
    return f"{first}–{last} {end.year}"
