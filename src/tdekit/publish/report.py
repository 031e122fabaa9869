"""The public report of the whole loop (``tde render report``): what we heard, what we did.

:func:`build_report_view` takes the plan's own view (:func:`tdekit.publish.building.build_plan_view`:
the plan drawn only from files without errors, consent applied to every interview and piece
of feedback) and adds what Step 4 recorded: who we heard from across the project (counted and
named as consent allows), why this use case in one sentence, the milestones and their status,
the updates in order, and each outcome indicator against its target. The formats render it
through the same registry and final checks as the plan (``formats.render(..., document="report")``).
"""

from __future__ import annotations

import datetime as dt
import re
from collections import Counter
from typing import TYPE_CHECKING, Any

from tdekit import clock, following
from tdekit import labels as words
from tdekit.errors import ProjectError
from tdekit.i18n import N_, gettext, number
from tdekit.publish import building, consent, views
from tdekit.records.record import Project, Record

if TYPE_CHECKING:
    from tdekit.scoring import UseCaseScore

def _(message: str, **values: Any) -> str:
    """``message`` in the output's language, its ``%(name)s`` placeholders filled."""
    text = gettext(message)
    return text % values if values else text


MILESTONE_STATUSES = {
    "planned": N_("Planned"),
    "in_progress": N_("In progress"),
    "done": N_("Done"),
    "late": N_("Late"),
    "dropped": N_("Dropped"),
}
UPDATE_KINDS = {"progress": N_("Progress"), "delay": N_("Delay"), "launch": N_("Launch"), "result": N_("Result"), "other": N_("Update")}
UPDATE_CHANNELS = {
    "email": N_("e-mail"), "meeting": N_("meeting"), "website": N_("website"), "social": N_("social media"),
    "print": N_("print"), "other": N_("other"),
}


def report_plan(project: Project, plan_id: str | None) -> str | None:
    """The plan a report is of: ``plan_id``, else the only final plan, else the plan rendering
    would choose (the selected use case's, or the only one)."""
    if plan_id is not None:
        return plan_id
    finals = [p for p in project.of_kind("plan") if p.get("status") == "final" and not p.get("translation_of")]
    if len(finals) == 1:
        return finals[0].id
    return None


def build_report_view(project: Project, plan_id: str | None, *, today: dt.date | None = None) -> views.ReportView:
    """The report of one plan, consent applied; refuses (exit 1) a plan drawn from files with errors."""
    from tdekit.scoring import score_usecases

    today = today or clock.today()
    ranking = score_usecases(project)
    # compare=False: the report shows the team's changes, never the comparison between rounds.
    plan = building.build_plan_view(
        project, report_plan(project, plan_id), today=today, ranking=ranking, compare=False
    )
    record = project.by_id()[plan.id]
    milestones = following.milestones_of(record)
    return views.ReportView(
        plan=plan,
        heard=_heard(project, plan.id),
        why=_why(plan, ranking, str(record.get("usecase"))),
        milestones=tuple(_milestone(m) for m in milestones),
        milestones_done=sum(1 for m in milestones if m.status == "done"),
        updates=tuple(_update(u) for u in following.updates_of(project, plan.id)),
        outcomes=tuple(_outcome(o) for o in following.outcomes_of(record)),
        generated=today.isoformat(),
        language=plan.language,
    )


def _heard(project: Project, plan_id: str) -> views.Heard:
    """Conversations and people by kind of stakeholder, and the names consent allows."""
    from tdekit.records.models import Feedback, Interview

    people: Counter[str] = Counter()
    names: list[str] = []
    conversations = 0
    for record in project.of_kind("interview"):
        interview = record.values_as(Interview)
        shown = consent.showing(record)
        if interview is None or not shown.counted:
            continue
        conversations += 1
        if interview.participants:
            people.update({k: n for k, n in interview.participants.items() if n > 0})
        else:
            people[interview.stakeholder_type] += 1
        if shown.name:
            org = f" ({interview.organization})" if interview.organization and shown.organization else ""
            names.append(interview.interviewee + org)
    feedback = 0
    for record in project.of_kind("feedback"):
        item = record.values_as(Feedback)
        shown = consent.showing(record)
        if item is None or item.plan != plan_id or not shown.counted:
            continue
        feedback += 1
        if shown.name:
            names.append(item.source)
    groups = tuple(
        views.HeardGroup(words.label(words.STAKEHOLDER_GROUPS, kind), people[kind])
        for kind in words.STAKEHOLDER_GROUPS if people[kind]
    )
    return views.Heard(
        conversations=conversations,
        people=sum(people.values()),
        groups=groups,
        names=_distinct(names),
        feedback=feedback,
    )


def _distinct(names: list[str]) -> tuple[str, ...]:
    """Each name once, compared without case or punctuation: "Ana Ruiz (Union)" is "Ana Ruiz, Union"."""
    seen: dict[str, str] = {}
    for name in names:
        seen.setdefault(" ".join(re.sub(r"[^\w]+", " ", name).casefold().split()), name)
    return tuple(seen.values())


def _why(plan: views.PlanView, ranking: list[UseCaseScore], usecase_id: str) -> str:
    """The score and its robustness in a sentence."""
    from tdekit.scoring import check_robustness

    score = plan.usecase.score
    if score is None or not score.known:
        return _("It was chosen by the team; it has no score to compare it with the others.")
    place = _("joint %(rank)s", rank=score.rank) if score.tied else str(score.rank)
    said = _(
        "It scored %(score)s on a scale of %(scale)s and ranked %(place)s of %(count)s use cases considered",
        score=score.score, scale=score.scale, place=place, count=score.ranked,
    )
    robust = check_robustness(ranking)
    if robust.leader == usecase_id and robust.holds:
        return said + _("; it stays first when any one weight moves by %(step)s either way.", step=f"{robust.step:.0%}")
    if robust.leader == usecase_id:
        return said + _("; its lead depends on the weights, so the team weighed what it heard as well.")
    return said + "."


def _milestone(m: following.MilestoneState) -> views.ReportMilestone:
    return views.ReportMilestone(
        what=m.what,
        when=m.when,
        who=m.who,
        status=m.status,
        status_label=_(MILESTONE_STATUSES[m.status]),
        done_on=m.done_on.isoformat() if m.done_on else "",
    )


def _update(record: Record) -> views.ReportUpdate:
    from tdekit.records.models import Update

    update = record.values_as(Update)
    if update is None:  # pragma: no cover - check_renderable refuses a project with errors first
        raise ProjectError(f"{record.rel} has errors; run tde validate")
    kind = update.kind or "other"
    return views.ReportUpdate(
        date=update.date.isoformat(),
        title=update.title,
        kind=kind,
        kind_label=_(UPDATE_KINDS[kind]),
        channel=_(UPDATE_CHANNELS[update.channel]) if update.channel else "",
        audience=", ".join(update.audience),
        body=record.doc.body,
    )


def _shown(value: float | str | None) -> str:
    if value is None:
        return ""
    return number(value) if isinstance(value, float) else value


def _outcome(o: following.OutcomeState) -> views.ReportOutcome:
    numbers = [v for v in (o.baseline, o.target, o.actual) if isinstance(v, float)]
    top = max(numbers) * 1.1 if numbers and max(numbers) > 0 else None

    def share(value: Any) -> int | None:
        return round(100 * value / top) if top and isinstance(value, float) and value >= 0 else None

    return views.ReportOutcome(
        outcome=o.outcome,
        indicator=o.indicator,
        baseline=_shown(o.baseline),
        target=_shown(o.target),
        actual=_shown(o.actual),
        measured_on=o.measured_on.isoformat() if o.measured_on else "",
        met=o.met,
        summary=_summary(o),
        actual_share=share(o.actual) if isinstance(o.target, float) else None,
        target_share=share(o.target) if isinstance(o.actual, float) else None,
    )


def _summary(o: following.OutcomeState) -> str:
    if not o.indicator:
        return ""
    target = _("a target of %(target)s", target=_shown(o.target)) if o.target is not None else _("no target set")
    if o.actual is None:
        return _("%(indicator)s: not measured yet (%(target)s).", indicator=o.indicator, target=target)
    when = _(" on %(date)s", date=o.measured_on.isoformat()) if o.measured_on else ""
    verdict = {True: _(": target met"), False: _(": target not met yet"), None: ""}[o.met]
    baseline = _(", from a baseline of %(baseline)s", baseline=_shown(o.baseline)) if o.baseline is not None else ""
    return _(
        "%(indicator)s: %(actual)s measured%(when)s against %(target)s%(baseline)s%(verdict)s.",
        indicator=o.indicator, actual=_shown(o.actual), when=when, target=target, baseline=baseline, verdict=verdict,
    )
