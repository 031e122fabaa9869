"""What ``tde validate`` checks of Step 1: a signal's period, and the focus area's evidence."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path

from tdekit.problems import Problem
from tdekit.records.kinds import SETTINGS_FILE
from tdekit.records.record import Project
from tdekit.text import closest


def check_find(project: Project) -> Iterator[Problem]:
    """Every Step 1 problem of ``project``."""
    yield from _check_periods(project)
    yield from _check_focus_signals(project)


def _check_periods(project: Project) -> Iterator[Problem]:
    for record in project.of_kind("signal"):
        period = record.get("period")
        if not isinstance(period, dict) or not period or ("period",) in record.doc.bad_paths:
            continue
        missing = [end for end in ("from", "to") if end not in period]
        if missing:
            yield record.doc.problem(
                ("period",), "error", "invalid-value",
                f"period needs both from and to (it lacks {' and '.join(missing)})",
            )
            continue
        start, end = period["from"], period["to"]
        if isinstance(start, dt.date) and isinstance(end, dt.date) and end < start:
            yield record.doc.problem(
                ("period", "to"), "error", "invalid-value",
                f"period ends ({end.isoformat()}) before it starts ({start.isoformat()})",
            )


def _check_focus_signals(project: Project) -> Iterator[Problem]:
    settings = project.settings
    if settings is None:
        return
    named = settings.get("focus_signals", ())
    signals = [r.id for r in project.of_kind("signal")]
    unknown = [(index, ref) for index, ref in enumerate(named) if ref not in signals]
    if not unknown:
        return
    from tdekit.records.frontmatter import read_yaml

    try:
        doc = read_yaml((Path(project.root) / SETTINGS_FILE).read_bytes(), SETTINGS_FILE)
    except OSError:
        return
    for index, ref in unknown:
        guess = closest(ref, signals, fold=True)
        hint = f"; did you mean '{guess}'?" if guess else ""
        yield doc.problem(
            ("focus_signals", index), "error", "unknown-reference",
            f"'{ref}' in focus_signals is not a signal of this project (no signals/{ref}.md){hint}",
        )
