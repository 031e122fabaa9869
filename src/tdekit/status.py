"""Where a project stands in the four steps of TDE, and the next concrete thing to do.

:func:`project_status` reads a loaded project and returns a :class:`Status`: counts for each
step (the focus area, the conversations held, personas, use cases by status and how many are
fully scored, the selected use case, the plan and its feedback) and an ordered list of next
actions, the first of which is the one to do now. It prints nothing.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import asdict, dataclass, replace
from typing import Any

from tdekit.following import Implement
from tdekit.records.kinds import (
    COMMUNITY_TYPES,
    CONSENTS,
    DISPOSITIONS,
    STAKEHOLDER_TYPES,
    USECASE_STATUSES,
)
from tdekit.records.record import Project, Record
from tdekit.records.weights import weights_problem
from tdekit.text import plural


@dataclass(frozen=True)
class Step:
    """One of the four steps: whether it is done, and a line on where it stands."""

    number: int
    name: str
    done: bool
    summary: str


@dataclass(frozen=True)
class PlanState:
    id: str
    title: str
    status: str
    usecase: str
    feedback: dict[str, int]  # disposition -> count, every disposition listed
    milestones: int = 0
    milestones_done: int = 0


@dataclass(frozen=True)
class Status:
    """Where the project stands; ``next`` is ordered, the first item is the one to do now."""

    name: str
    focus_area: str | None  # None while tde.yaml still says TBD
    focus_rationale: str | None
    focus_signals: tuple[str, ...]  # the signals tde.yaml names as the focus area's evidence
    signals: int
    errors: int
    files_with_errors: int
    interviews: int
    by_stakeholder: dict[str, int]
    by_consent: dict[str, int]
    personas: int
    #: Who we have not heard from: stakeholder types with nobody heard yet (counting the
    #: participants of group engagements; 'other' is not a type to seek out), personas based on
    #: no interview, and use cases (not parked) backed by a single stakeholder type.
    unheard: tuple[str, ...]
    personas_without_interviews: tuple[str, ...]
    single_type_usecases: tuple[str, ...]
    usecases: dict[str, int]  # status -> count, every status listed
    fully_scored: int
    not_fully_scored: int  # use cases still in play (not parked) that lack a score
    selected: str | None
    plans: tuple[PlanState, ...]
    plan: PlanState | None  # the plan of the selected use case, or the only plan
    steps: tuple[Step, ...]
    next: tuple[str, ...]
    #: Step 4 of the current plan once it is final: milestones, updates, outcomes, the backlog.
    implement: Implement | None = None

    def as_json(self) -> dict[str, Any]:
        return asdict(self)


def _count(values: list[Any], keys: tuple[str, ...]) -> dict[str, int]:
    counts = Counter(v for v in values if isinstance(v, str))  # a list where a choice belongs is not one
    return {k: counts[k] for k in keys}


def project_status(project: Project) -> Status:
    """The status of ``project`` (its ``tde.yaml`` must be readable)."""
    from tdekit.scoring import score_usecases
    from tdekit.validate import validate_project

    settings = project.require_settings()
    problems = [p for p in validate_project(project) if p.severity == "error"]
    focus = str(settings["focus_area"]).strip()
    focus_area = None if focus.upper().startswith("TBD") else focus

    interviews = project.of_kind("interview")
    usecases = project.of_kind("usecase")
    # A translation restates its source plan: the plans are the ones it translates.
    plans = tuple(_plan_state(project, p) for p in project.of_kind("plan") if not p.get("translation_of"))
    selected = next((u for u in usecases if u.get("status") == "selected"), None)
    criteria = settings["scoring"]["criteria"].values()
    # With no weight above zero nothing can be ranked: that is one of the errors counted above.
    ranking = score_usecases(project) if weights_problem(c["weight"] for c in criteria) is None else []
    complete = {s.id for s in ranking if s.score is not None and not s.incomplete}
    plan = _current_plan(plans, selected.id if selected else None)
    implement = None
    if plan is not None and plan.status == "final":
        from tdekit import clock
        from tdekit.following import implement_state

        implement = implement_state(project, project.by_id()[plan.id], ranking, clock.today())

    status = Status(
        name=str(settings["name"]),
        focus_area=focus_area,
        focus_rationale=settings.get("focus_rationale"),
        focus_signals=tuple(settings.get("focus_signals", ())),
        signals=len(project.of_kind("signal")),
        errors=len(problems),
        files_with_errors=len({p.path for p in problems}),
        interviews=len(interviews),
        by_stakeholder=_count([i.get("stakeholder_type") for i in interviews], STAKEHOLDER_TYPES),
        by_consent=_count([i.get("consent") for i in interviews], CONSENTS),
        personas=len(project.of_kind("persona")),
        unheard=_unheard(interviews),
        personas_without_interviews=tuple(
            p.id for p in project.of_kind("persona") if not _texts(p.get("interviews"))
        ),
        single_type_usecases=_single_type(project, [u for u in usecases if u.get("status") != "parked"]),
        usecases=_count([u.get("status") for u in usecases], USECASE_STATUSES),
        fully_scored=len(complete),
        not_fully_scored=sum(1 for u in usecases if u.id not in complete and u.get("status") != "parked"),
        selected=selected.id if selected else None,
        plans=plans,
        plan=plan,
        steps=(),
        next=(),
        implement=implement,
    )
    return replace(status, steps=_steps(status), next=tuple(_next(status)))


def _texts(value: Any) -> list[str]:
    return [v for v in value if isinstance(v, str)] if isinstance(value, list) else []


def _unheard(interviews: list[Record]) -> tuple[str, ...]:
    """The stakeholder types no interview or engagement has heard from yet."""
    heard: set[str] = set()
    for record in interviews:
        stakeholder_type = record.get("stakeholder_type")
        if isinstance(stakeholder_type, str):
            heard.add(stakeholder_type)
        participants = record.get("participants")
        if isinstance(participants, dict):
            heard.update(t for t, n in participants.items() if isinstance(n, int) and n > 0)
    return tuple(t for t in STAKEHOLDER_TYPES if t not in heard and t != "other")


def _single_type(project: Project, usecases: list[Record]) -> tuple[str, ...]:
    """The use cases whose evidence comes from one stakeholder type only."""
    from tdekit.scoring import evidence_for

    evidence = evidence_for(project, [u.id for u in usecases])
    return tuple(u.id for u in usecases if len(evidence[u.id].stakeholder_types) == 1)


def _plan_state(project: Project, plan: Record) -> PlanState:
    from tdekit.following import milestones_of

    dispositions = [
        f.get("disposition") for f in project.of_kind("feedback") if f.get("plan") == plan.id
    ]
    milestones = milestones_of(plan)
    return PlanState(
        id=plan.id,
        title=plan.title,
        status=str(plan.get("status", "")),
        usecase=str(plan.get("usecase", "")),
        feedback=_count(dispositions, DISPOSITIONS),
        milestones=len(milestones),
        milestones_done=sum(1 for m in milestones if m.status == "done"),
    )


def _current_plan(plans: tuple[PlanState, ...], selected: str | None) -> PlanState | None:
    if selected is not None:  # the selected use case's plan, never another one's
        for_selected = [p for p in plans if p.usecase == selected]
        return for_selected[0] if len(for_selected) == 1 else None
    if len(plans) == 1:
        return plans[0]
    return None


def _steps(s: Status) -> tuple[Step, ...]:
    total_usecases = sum(s.usecases.values())
    refined = s.interviews > 0 and s.personas > 0 and (s.usecases["shortlisted"] + s.usecases["selected"]) > 0
    by_status = ", ".join(f"{n} {k}" for k, n in s.usecases.items() if n)
    refine = (
        f"{plural(s.interviews, 'interview')}, {plural(s.personas, 'persona')}, "
        f"{plural(total_usecases, 'use case')}" + (f" ({by_status})" if by_status else "")
    )
    if s.plan is not None:
        open_items = s.plan.feedback["open"]
        received = sum(s.plan.feedback.values())
        design = f"plan {s.plan.id}: {s.plan.status}, {plural(received, 'piece')} of feedback"
        design += f" ({open_items} open)" if open_items else ""
    elif s.selected:
        design = f"{s.selected} selected; no plan for it yet"
    elif s.plans:
        design = f"{plural(len(s.plans), 'plan')}, none for a selected use case"
    else:
        design = "no use case selected yet"
    final = s.plan is not None and s.plan.status == "final"
    return (
        Step(1, "Find", s.focus_area is not None and bool(s.focus_signals), _find_summary(s)),
        Step(2, "Refine", refined, refine),
        Step(3, "Design", final, design),
        Step(4, "Implement", s.implement is not None and s.implement.finished, _implement_summary(s)),
    )


def _implement_summary(s: Status) -> str:
    imp = s.implement
    if imp is None:
        return "starts when the plan is final"
    if not imp.milestones:
        return f"carry out plan {imp.plan} with the community (no milestones set out yet)"
    said = f"plan {imp.plan}: {imp.done} of {plural(imp.milestones, 'milestone')} done"
    said += f", {imp.dropped} dropped" if imp.dropped else ""
    return said + (f", {len(imp.overdue)} overdue" if imp.overdue else "")


def _find_summary(s: Status) -> str:
    if s.focus_area is None:
        heard = f"; {plural(s.signals, 'signal')} recorded" if s.signals else ""
        return f"focus area not set yet (tde.yaml says TBD){heard}"
    if not s.focus_signals:
        return f"{s.focus_area} (its evidence not named yet)"
    return f"{s.focus_area}; evidence: {', '.join(s.focus_signals)}"


def _find_next(s: Status) -> list[str]:
    """Step 1's next action, if any: tally requests, choose, or name the evidence."""
    if s.focus_area is None and not s.signals:
        return [
            "Step 1: tally what residents already ask for: tde find requests FILE --source NAME "
            "--topic-column C (or tde new signal TITLE for a survey or a meeting), then tde find"
        ]
    if s.focus_area is None:
        return [
            "Step 1: choose the focus area from the topics tde find ranks, and set focus_area, "
            "focus_rationale and focus_signals in tde.yaml"
        ]
    if not s.focus_signals:
        return [
            "Step 1: name the focus area's evidence in tde.yaml: focus_signals (the signals that "
            "led to it; see tde find) and focus_rationale"
        ]
    return []


def _next(s: Status) -> list[str]:
    """What to do, most urgent first."""
    todo: list[str] = []
    if s.errors:
        todo.append(
            f"fix {plural(s.errors, 'error')} in {plural(s.files_with_errors, 'file')}: run tde validate"
        )
    todo.extend(_find_next(s))
    if not s.interviews:
        todo.append('Step 2: talk with stakeholders and record each conversation: tde new interview "TITLE"')
        return todo
    if not any(s.by_stakeholder[t] for t in COMMUNITY_TYPES):
        todo.append("no conversation with residents or community groups yet: consult the public or a community group")
    if not s.personas:
        todo.append('Step 2: write personas from your interviews: tde new persona "TITLE"')
    total = sum(s.usecases.values())
    if not total:
        todo.append('Step 2: write use cases (who needs what data, to do what): tde new usecase "TITLE"')
        return todo
    if s.selected is None:
        if s.not_fully_scored:
            todo.append(f"{plural(s.not_fully_scored, 'use case')} not fully scored: fill in their scores, then run tde score")
        todo.append("no use case selected: run tde score, then tde select ID")
        return todo
    plan = s.plan
    if plan is None or plan.usecase != s.selected:
        if s.plans and plan is None and any(p.usecase == s.selected for p in s.plans):
            todo.append(f"several plans are for {s.selected}: keep one, or name it in tde render plan ID")
        else:
            todo.append(f'Step 3: draft a plan for {s.selected}: tde new plan "TITLE" --set usecase={s.selected}')
        return todo
    todo.extend(_implement_next(s.implement) if s.implement is not None else _plan_next(plan))
    return todo


def _plan_next(plan: PlanState) -> list[str]:
    open_items = plan.feedback["open"]
    received = sum(plan.feedback.values())
    if plan.status == "draft":
        return [
            f"circulate plan {plan.id} to its intended users for comment "
            f"(tde render plan {plan.id} --format html -o plan.html), then set its status to circulated"
        ]
    if open_items:
        return [
            f"{plural(open_items, 'feedback item')} still open on plan {plan.id}: decide each "
            "(accepted, partly_accepted or declined) and write the team's response"
        ]
    if plan.status == "circulated":
        if not received:
            return [f'no feedback recorded on plan {plan.id} yet: record each comment with tde new feedback "TITLE" --set plan={plan.id}']
        return [f"fold the feedback into plan {plan.id}, set its status to revised, and say what happens next"]
    return [f"when the community and partners agree, set plan {plan.id} to final"]


def _implement_next(imp: Implement) -> list[str]:
    """Step 4's actions: overdue milestones first, then the next one, updates, outcomes, the backlog."""
    plan = imp.plan
    update = f'tde new update "TITLE" --set plan={plan}'
    todo: list[str] = []
    if imp.overdue:
        late = imp.overdue[0]
        todo.append(
            f"milestone '{late['what']}' was due {late['when']}: mark it done (status: done and "
            f"done_on in plans/{plan}.md), or post an update about the delay: {update} --set kind=delay"
        )
    if not imp.milestones:
        todo.append(f"Step 4: set out the milestones of plan {plan} (what, when, who, status) to track the work")
    elif imp.pending and not imp.overdue:
        coming = imp.pending[0]
        due = f", due {coming['when']}" if coming["when"] else ""
        todo.append(
            f"Step 4: next milestone of plan {plan}: '{coming['what']}'{due}; when it is done, set "
            f"its status to done with done_on, and tell the community: {update}"
        )
    if imp.last_update is None:
        todo.append(f"no update on plan {plan} yet: tell partners and residents how it is going: {update}")
    if not imp.finished:
        return todo
    if imp.measured < imp.indicators:
        todo.append(
            f"measure the outcomes of plan {plan}: set actual and measured_on for each indicator "
            f"({imp.measured} of {imp.indicators} measured)"
        )
    if imp.backlog is not None:
        todo.append(
            f"Step 4 is done for plan {plan}: the next use case in the backlog is {imp.backlog.id} "
            f"(rank {imp.backlog.rank}); start it with tde select {imp.backlog.id}, then "
            f'tde new plan "TITLE" --set usecase={imp.backlog.id}'
        )
    else:
        todo.append(
            f"Step 4 is done for plan {plan} and no shortlisted use case without a plan is left: "
            "shortlist the next one (Step 2), then tde select ID"
        )
    todo.append(f"tell everyone what came of it: tde render report {plan} --format html -o report.html")
    return todo

