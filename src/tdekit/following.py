"""Step 4 (Implement): a plan's milestones and outcomes, read from its front matter.

The rules of ``tde validate`` on milestones and outcome indicators (:func:`check_following`),
and what ``tde status`` and the report say of them (:func:`milestones_of`, :func:`outcomes_of`,
:func:`overdue`). They read a plan's raw front matter (``Record.get``), so that a plan with one
bad field is still followed: values of the wrong shape are skipped here, since the schema
check reports them.

"Today" is :func:`tdekit.clock.today`: the date of ``SOURCE_DATE_EPOCH`` when it is set.
A milestone past its date and neither done nor dropped is overdue only once its plan is
``final``: before then the dates are proposals the community may still change.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from tdekit.problems import Problem
from tdekit.records.record import Project, Record

#: The states of a milestone (kept equal to ``models.MilestoneStatus`` by a test).
MILESTONE_STATUSES = ("planned", "in_progress", "done", "late", "dropped")
#: The states in which a milestone asks nothing more of the team.
CLOSED = ("done", "dropped")


@dataclass(frozen=True)
class MilestoneState:
    """One milestone as status and the report see it."""

    what: str
    when: str  # as written: a date, or text such as "April 2027"
    due: dt.date | None  # the date, when ``when`` is one
    status: str  # planned when none is said
    done_on: dt.date | None
    who: str


@dataclass(frozen=True)
class OutcomeState:
    """One outcome, with its indicator when the plan gives one."""

    outcome: str
    indicator: str
    baseline: float | str | None
    target: float | str | None
    actual: float | str | None
    measured_on: dt.date | None

    @property
    def measured(self) -> bool:
        return self.actual is not None

    @property
    def met(self) -> bool | None:
        """Whether the actual reaches the target (by the way the target lies from the baseline):
        None when either is not a number or not measured yet."""
        target, actual, baseline = (_number(v) for v in (self.target, self.actual, self.baseline))
        if target is None or actual is None:
            return None
        if baseline is not None and target < baseline:
            return actual <= target
        return actual >= target


def _number(value: Any) -> float | None:
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return None
    return float(value)


def as_date(value: Any) -> dt.date | None:
    """A date from front matter: a YAML date, or ISO text; anything else is None."""
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str):
        try:
            return dt.date.fromisoformat(value.strip())
        except ValueError:
            return None
    return None


def _text(value: Any) -> str:
    if isinstance(value, dt.date):
        return value.isoformat()
    return value.strip() if isinstance(value, str) else ""


def milestones_of(plan: Record) -> tuple[MilestoneState, ...]:
    """The plan's milestones that have a ``what``, in the plan's order."""
    items = plan.get("milestones")
    found: list[MilestoneState] = []
    for item in items if isinstance(items, list) else ():
        if not isinstance(item, dict) or not _text(item.get("what")):
            continue
        status = item.get("status")
        found.append(MilestoneState(
            what=_text(item.get("what")),
            when=_text(item.get("when")),
            due=as_date(item.get("when")),
            status=status if status in MILESTONE_STATUSES else "planned",
            done_on=as_date(item.get("done_on")),
            who=_text(item.get("who")),
        ))
    return tuple(found)


def _value(value: Any) -> float | str | None:
    number = _number(value)
    if number is not None:
        return number
    text = _text(value)
    return text or None


def outcomes_of(plan: Record) -> tuple[OutcomeState, ...]:
    """The plan's outcomes: text ones with no indicator, structured ones with theirs."""
    items = plan.get("outcomes")
    found: list[OutcomeState] = []
    for item in items if isinstance(items, list) else ():
        if isinstance(item, str) and item.strip():
            found.append(OutcomeState(item.strip(), "", None, None, None, None))
        elif isinstance(item, dict) and _text(item.get("outcome")):
            found.append(OutcomeState(
                outcome=_text(item.get("outcome")),
                indicator=_text(item.get("indicator")),
                baseline=_value(item.get("baseline")),
                target=_value(item.get("target")),
                actual=_value(item.get("actual")),
                measured_on=as_date(item.get("measured_on")),
            ))
    return tuple(found)


def overdue(milestones: tuple[MilestoneState, ...], today: dt.date) -> tuple[MilestoneState, ...]:
    """The milestones past their date that are neither done nor dropped."""
    return tuple(m for m in milestones if m.due is not None and m.due < today and m.status not in CLOSED)


def check_following(project: Project) -> Iterator[Problem]:
    """The rules of Step 4 on every plan: done_on, overdue milestones, measurement dates."""
    from tdekit import clock

    plans = project.of_kind("plan")
    if not plans:
        return
    today = clock.today()
    for plan in plans:
        if not plan.doc.ok:
            continue
        yield from _check_milestones(plan, today)
        yield from _check_outcomes(plan, today)


def _check_milestones(plan: Record, today: dt.date) -> Iterator[Problem]:
    items = plan.get("milestones")
    final = plan.get("status") == "final"
    for index, item in enumerate(items if isinstance(items, list) else ()):
        if not isinstance(item, dict):
            continue
        what = _text(item.get("what")) or f"#{index + 1}"
        status = item.get("status")
        done_on = as_date(item.get("done_on"))
        if item.get("done_on") is not None and status != "done":
            yield plan.doc.problem(
                ("milestones", index, "done_on"), "error", "done-on-not-done",
                f"milestone '{what}' has done_on but its status is {status or 'not set'}; "
                "set status: done, or remove done_on",
            )
        if done_on is not None and done_on > today:
            yield plan.doc.problem(
                ("milestones", index, "done_on"), "error", "done-on-future",
                f"milestone '{what}' is done_on {done_on.isoformat()}, after today "
                f"({today.isoformat()}); a milestone is marked done once it is",
            )
        due = as_date(item.get("when"))
        if final and due is not None and due < today and status not in CLOSED:
            yield plan.doc.problem(
                ("milestones", index, "when"), "warning", "milestone-overdue",
                f"milestone '{what}' was due {due.isoformat()} and is {status or 'planned'}: mark it "
                "done (status: done, done_on: DATE) or dropped, or post an update about the delay "
                f"(tde new update \"TITLE\" --set plan={plan.id} --set kind=delay)",
            )


def _check_outcomes(plan: Record, today: dt.date) -> Iterator[Problem]:
    items = plan.get("outcomes")
    for index, item in enumerate(items if isinstance(items, list) else ()):
        if not isinstance(item, dict):
            continue
        measured = as_date(item.get("measured_on"))
        if measured is not None and measured > today:
            yield plan.doc.problem(
                ("outcomes", index, "measured_on"), "error", "measured-on-future",
                f"outcome '{_text(item.get('outcome'))}' is measured_on {measured.isoformat()}, "
                f"after today ({today.isoformat()})",
            )
        if item.get("actual") is not None and item.get("measured_on") is None:
            yield plan.doc.problem(
                ("outcomes", index, "actual"), "warning", "actual-without-date",
                f"outcome '{_text(item.get('outcome'))}' has an actual value but no measured_on; "
                "say when it was measured",
            )


@dataclass(frozen=True)
class LastUpdate:
    id: str
    title: str
    date: str
    days_ago: int


@dataclass(frozen=True)
class Backlog:
    """The next use case to take up: the best-ranked shortlisted one without a plan."""

    id: str
    title: str
    rank: int
    score: float | None


@dataclass(frozen=True)
class Implement:
    """Where Step 4 stands for a final plan: milestones, updates, outcomes, what comes next."""

    plan: str
    milestones: int
    done: int
    dropped: int
    overdue: tuple[dict[str, str], ...]  # {what, when, status}, in the plan's order
    pending: tuple[dict[str, str], ...]  # open milestones not yet due, in the plan's order
    updates: int
    last_update: LastUpdate | None
    outcomes: tuple[dict[str, Any], ...]  # {outcome, indicator, baseline, target, actual, measured_on, met}
    measured: int  # outcomes with an indicator and an actual value
    indicators: int  # outcomes with an indicator
    finished: bool  # every milestone done or dropped (and there is at least one)
    backlog: Backlog | None


def updates_of(project: Project, plan_id: str) -> list[Record]:
    """The updates on ``plan_id`` whose date reads, oldest first."""
    found = [u for u in project.of_kind("update") if u.get("plan") == plan_id and as_date(u.get("date"))]
    return sorted(found, key=lambda u: (as_date(u.get("date")), u.id))


def backlog(project: Project, ranking: Any) -> Backlog | None:
    """The best-ranked shortlisted use case that no plan is for (``ranking`` in rank order)."""
    planned = {p.get("usecase") for p in project.of_kind("plan")}
    for item in ranking:
        if item.status == "shortlisted" and item.id not in planned:
            return Backlog(item.id, item.title, item.rank, item.score)
    return None


def implement_state(project: Project, plan: Record, ranking: Any, today: dt.date) -> Implement:
    """Step 4 of ``plan`` as of ``today``; ``ranking`` is :func:`tdekit.scoring.score_usecases`'s."""
    milestones = milestones_of(plan)
    late = overdue(milestones, today)
    updates = updates_of(project, plan.id)
    last = updates[-1] if updates else None
    last_date = as_date(last.get("date")) if last else None
    outcomes = outcomes_of(plan)
    return Implement(
        plan=plan.id,
        milestones=len(milestones),
        done=sum(1 for m in milestones if m.status == "done"),
        dropped=sum(1 for m in milestones if m.status == "dropped"),
        overdue=tuple({"what": m.what, "when": m.when, "status": m.status} for m in late),
        pending=tuple(
            {"what": m.what, "when": m.when, "status": m.status}
            for m in milestones if m.status not in CLOSED and m not in late
        ),
        updates=len(updates),
        last_update=(
            LastUpdate(last.id, last.title, last_date.isoformat(), (today - last_date).days)
            if last is not None and last_date is not None else None
        ),
        outcomes=tuple(
            {
                "outcome": o.outcome, "indicator": o.indicator, "baseline": o.baseline,
                "target": o.target, "actual": o.actual,
                "measured_on": o.measured_on.isoformat() if o.measured_on else None, "met": o.met,
            }
            for o in outcomes
        ),
        measured=sum(1 for o in outcomes if o.indicator and o.measured),
        indicators=sum(1 for o in outcomes if o.indicator),
        finished=bool(milestones) and all(m.status in CLOSED for m in milestones),
        backlog=backlog(project, ranking),
    )
