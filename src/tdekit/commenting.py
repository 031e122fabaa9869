"""The rules of a plan's comment period and of the team's account of its changes (``tde validate``).

A plan circulated for comment says until when people may comment (``comment_period.closes``):
without it a reader cannot tell whether a comment still counts (a warning). A period that
closes before it opens is an error. A plan still ``circulated`` after its closing date is a
warning: the team has probably moved on (``revised``) and forgot to say so, or the date
slipped. "Today" is :func:`tdekit.clock.today` (``SOURCE_DATE_EPOCH`` when set), so a check in a
test or a build is reproducible. Each entry of ``changes`` names the feedback it answers; an id
that is no feedback of the project is an error, with a did-you-mean like other references.

The rules read the raw front matter (``record.get``) so that a file with another problem is
still checked here; values of the wrong shape are the schema's to report.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator
from typing import Any

from tdekit import clock
from tdekit.problems import Problem
from tdekit.records.kinds import FOLDERS, SLUG_PATTERN
from tdekit.records.record import Project, Record
from tdekit.text import closest

__all__ = ["check_comment_periods"]

_SLUG = re.compile(SLUG_PATTERN)


def check_comment_periods(project: Project, today: dt.date | None = None) -> Iterator[Problem]:
    """The problems of each plan's ``comment_period`` and of the feedback its ``changes`` name."""
    feedback = list(project.of_kind("feedback"))
    feedback_read = FOLDERS["feedback"] not in project.outside
    for plan in project.of_kind("plan"):
        yield from _period(plan, today)
        if feedback_read:
            yield from _changes(plan, {r.id: r for r in feedback}, [r.id for r in feedback])


def _date(value: Any) -> dt.date | None:
    if isinstance(value, dt.datetime):
        return None  # a time of day is the schema's to report
    return value if isinstance(value, dt.date) else None


def _period(plan: Record, today: dt.date | None) -> Iterator[Problem]:
    period = plan.get("comment_period")
    period = period if isinstance(period, dict) else {}
    circulated = plan.get("status") == "circulated"
    opens, closes = _date(period.get("opens")), _date(period.get("closes"))
    if circulated and period.get("closes") is None:
        where = ("comment_period",) if "comment_period" in (plan.doc.data or {}) else ("status",)
        yield plan.doc.problem(
            where, "warning", "no-closing-date",
            "the plan is circulated but its comment period has no closing date; set "
            "comment_period.closes (or 'tde circulate --closes YYYY-MM-DD') so that readers know "
            "until when comments count",
        )
    if opens and closes and closes < opens:
        yield plan.doc.problem(
            ("comment_period", "closes"), "error", "closes-before-opens",
            f"the comment period closes on {closes.isoformat()}, before it opens on "
            f"{opens.isoformat()}",
        )
    if circulated and closes:
        now = today or clock.today()
        if closes < now:
            yield plan.doc.problem(
                ("comment_period", "closes"), "warning", "comment-period-over",
                f"the comment period closed on {closes.isoformat()} but the plan is still "
                "circulated; set its status to revised once the comments are answered, or move "
                "the closing date",
            )


def _changes(plan: Record, by_id: dict[str, Record], ids: list[str]) -> Iterator[Problem]:
    changes = plan.get("changes")
    if not isinstance(changes, list):
        return
    for index, change in enumerate(changes):
        named = change.get("feedback") if isinstance(change, dict) else None
        if not isinstance(named, list):
            continue
        for position, ref in enumerate(named):
            path = ("changes", index, "feedback", position)
            if not isinstance(ref, str) or not _SLUG.match(ref) or path in plan.doc.bad_paths:
                continue
            found = by_id.get(ref)
            if found is None:
                guess = closest(ref, ids, fold=True)
                hint = f"; did you mean '{guess}'?" if guess else ""
                yield plan.doc.problem(
                    path, "error", "unknown-reference",
                    f"'{ref}' in changes[{index}].feedback is not feedback of this project "
                    f"(no feedback/{ref}.md){hint}",
                )
            elif found.get("plan") not in (plan.id, plan.get("translation_of")):  # a translation's are its source's
                yield plan.doc.problem(
                    path, "warning", "feedback-on-another-plan",
                    f"'{ref}' in changes[{index}].feedback is feedback on "
                    f"'{found.get('plan')}', not on this plan",
                )
