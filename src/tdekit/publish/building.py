"""Building the view of a plan from checked record values, consent applied.

:func:`build_plan_view` refuses a plan drawn from files with errors, then reads every record it
shows through its typed values (:mod:`tdekit.records.models`) and asks
:mod:`tdekit.publish.consent` what of each may be shown. The use case's section (score, rank,
evidence) is :mod:`tdekit.publish.scored`'s.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import replace
from typing import TYPE_CHECKING, Any

from tdekit import clock, gitlog, i18n
from tdekit import labels as words
from tdekit.problems import Problem
from tdekit.publish import choice, consent, views
from tdekit.records.record import Project, Record

if TYPE_CHECKING:
    from tdekit.records import models
    from tdekit.scoring import UseCaseScore

#: What the history says of a revision of the plan file when commit subjects are not shown.
FIRST_VERSION = i18n.N_("First version")
REVISED = i18n.N_("Revised")


def build_plan_view(
    project: Project,
    plan_id: str | None,
    *,
    today: dt.date | None = None,
    problems: Sequence[Problem] | None = None,
    ranking: Sequence[UseCaseScore] | None = None,
    changes_since: int | None = None,
    compare: bool = True,
) -> views.PlanView:
    """The view of one plan (see :func:`~tdekit.publish.choice.choose_plan`), filtered by consent.

    Refuses (exit 1) a plan whose files have errors. ``problems`` (of ``tde validate``) and
    ``ranking`` (of :func:`tdekit.scoring.score_usecases`) are worked out once here unless the
    caller has them already. ``changes_since``: the circulation round to show what changed
    since (default: the last round before the current one; see :mod:`tdekit.publish.rounds`);
    ``compare=False`` shows none.
    Its words are in the language in use (:func:`tdekit.i18n.use`;
    :func:`language_of` says which a plan is rendered in).
    """
    from tdekit.publish import focus, scored
    from tdekit.records import models

    settings = project.require_settings()
    choice.check_folders(project, plan_id)
    record = choice.choose_plan(project, plan_id)
    choice.check_renderable(project, record, problems)
    plan = _values(record, models.Plan)
    by_id = project.by_id()
    usecase = by_id[plan.usecase]
    persona_ids = plan.audience or _values(usecase, models.UseCase).personas
    history = _history(project, record, commits=(settings.get("render") or {}).get("history") == "commits")
    numbered = _feedback(project, plan.translation_of or plan.id)  # a translation shows its source's
    changes = _changes(plan, numbered, project)
    feedback = _led_to(plan, numbered)
    view = views.PlanView(
        project=settings["name"],
        organization=settings["organization"],
        focus_area=settings["focus_area"],
        focus_rationale=settings.get("focus_rationale") or "",
        focus_signals=focus.focus_signals(project, settings.get("focus_signals") or ()),
        generated=(today or clock.today()).isoformat(),
        id=plan.id,
        title=plan.title,
        status=plan.status,
        status_label=words.label(words.PLAN_STATUSES, plan.status),
        banner=_banner(plan, history),
        created=_date(plan.created),
        updated=history[0].date if history else "",
        body=record.doc.body,
        usecase=scored.usecase_view(project, usecase, ranking),
        personas=tuple(_persona(_values(by_id[i], models.Persona)) for i in persona_ids if i in by_id),
        **_design(plan),
        feedback=feedback,
        tally=_tally(feedback),
        history=history,
        comment=_comment(plan, today or clock.today()),
        changes=changes,
        language=i18n.current(),
        own_language=plan.language or _records_language(project),
        records_language=_records_language(project),
        versions=_versions(project, record),
    )
    if not compare:
        return view
    return replace(view, since=_since(project, record, view, changes_since, today))


def _since(
    project: Project, record: Record, view: views.PlanView, asked: int | None, today: dt.date | None
) -> views.SinceRound | None:
    from tdekit.errors import ProjectError, TdeError
    from tdekit.publish import rounds

    def build(earlier: Project, plan_id: str) -> views.PlanView:
        try:
            return build_plan_view(earlier, plan_id, today=today, compare=False)
        except TdeError as err:
            raise ProjectError(f"the plan as it was circulated cannot be shown: {err.message}") from None

    return rounds.since(project, record, view, asked, build)


def language_of(project: Project, plan_id: str | None, asked: str | None = None, *, own: bool = True) -> str:
    """The language a plan is rendered in: ``asked`` (``--lang``), else the plan's own
    ``language`` (a translation's; not looked at when ``own`` is False: a document of no one
    plan), else tde.yaml's, else English. UsageError (exit 2) for a language tdekit has no
    catalog for."""
    from tdekit.errors import UsageError

    if asked is not None:
        why = i18n.problem(asked)
        if why is not None:
            raise UsageError(f"--lang: {why}")
        return asked
    if own:
        choice.check_folders(project, plan_id)
        tag = choice.choose_plan(project, plan_id).get("language")
        if isinstance(tag, str) and i18n.problem(tag) is None:
            return tag
    return _records_language(project)


def _records_language(project: Project) -> str:
    """The language the team writes its records in: tde.yaml's ``language``, else English."""
    configured = (project.settings or {}).get("language")
    return configured if isinstance(configured, str) else i18n.SOURCE


def _versions(project: Project, plan: Record) -> tuple[views.Version, ...]:
    """The plan in other languages: the plan it translates and that plan's other translations,
    or, for a plan that translates none, its translations; ordered by language."""
    source = plan.get("translation_of") if isinstance(plan.get("translation_of"), str) else plan.id
    by_id = project.by_id()
    family = [r for r in project.of_kind("plan") if r.id == source or r.get("translation_of") == source]
    if source not in by_id:
        return ()
    found = []
    for other in family:
        tag = other.get("language") or _records_language(project)
        if other.id != plan.id and isinstance(tag, str) and i18n.problem(tag) is None:
            found.append(views.Version(other.id, tag, i18n.language_name(tag), f"{other.id}.html"))
    return tuple(sorted(found, key=lambda v: (v.language, v.id)))


def _values(record: Record, model: type[Any]) -> Any:
    """The checked values of a record the plan draws on (checked by then: see check_renderable)."""
    values = record.values_as(model)
    if values is None:  # pragma: no cover - check_renderable refuses such a plan first
        raise AssertionError(f"{record.rel} has no checked values")
    return values


def _design(plan: models.Plan) -> dict[str, Any]:
    """The plan's own sections: intervention, activities, roles, timeline and the rest."""
    level, formality = plan.intervention.level, plan.formality
    return {
        "intervention": views.Intervention(
            kind=words.label(words.INTERVENTION_KINDS, plan.intervention.kind),
            level=words.pair(words.INTERVENTION_LEVELS, level)[0],
            level_meaning=words.pair(words.INTERVENTION_LEVELS, level)[1],
            summary=plan.intervention.summary,
        ),
        "formality": words.pair(words.FORMALITY, formality)[0],
        "formality_meaning": words.pair(words.FORMALITY, formality)[1],
        "activities": tuple(plan.activities),
        "roles": tuple(views.Role(r.who, r.does) for r in plan.roles),
        "milestones": tuple(views.Milestone(_date(m.when), m.what, m.who or "") for m in plan.milestones),
        "outcomes": tuple(o if isinstance(o, str) else _outcome(o) for o in plan.outcomes),
        "resources": plan.resources or "",
        "steward": plan.steward or "",
        "engagement": tuple(
            views.Engagement(words.label(words.ENGAGEMENT_TACTICS, e.tactic), _date(e.date), e.notes or "")
            for e in plan.engagement
        ),
        "next_steps": tuple(plan.next_steps),
    }


def _outcome(outcome: models.Outcome) -> str:
    """An outcome with its indicator, as one line of the plan: "Fewer ... (indicator: target 50)"."""
    from tdekit.i18n import gettext, number

    if not outcome.indicator:
        return outcome.outcome
    target = outcome.target
    shown = number(target) if isinstance(target, float) else target
    said = gettext("%(indicator)s, target %(target)s") % {"indicator": outcome.indicator, "target": shown}
    return f"{outcome.outcome} ({said if target is not None else outcome.indicator})"


def _date(value: dt.date | str | None) -> str:
    if value is None:
        return ""
    return value.isoformat() if isinstance(value, dt.date) else str(value)


def _banner(plan: models.Plan, history: Sequence[views.Revision] | None) -> str:
    _ = i18n.gettext
    if plan.status == "draft":
        return _("Draft — not yet circulated for comment")
    if plan.status == "circulated":
        opens = plan.comment_period.opens if plan.comment_period else None
        dates = [opens] if opens else sorted(e.date for e in plan.engagement if e.date)
        if dates:
            return _("Draft for comment — circulated %(date)s") % {"date": dates[0].isoformat()}
        return _("Draft for comment")
    if plan.status == "revised":
        if history:
            return _("Revised draft, after comment — updated %(date)s") % {"date": history[0].date}
        return _("Revised draft, after comment")
    return _("Final plan")


def _history(project: Project, plan: Record, *, commits: bool) -> tuple[views.Revision, ...] | None:
    """The plan file's revisions from git, newest first; None outside git.

    Commit subjects and authors can name people, so by default only the dates are shown, one
    entry a day; ``commits`` shows every commit with its subject and author.
    """
    path = project.root / plan.rel
    if not gitlog.inside_work_tree(path.parent):
        return None
    found = gitlog.history(path)
    if commits:
        return tuple(views.Revision(r.date, "revision", r.subject, r.author, r.subject) for r in found)
    dates = list(dict.fromkeys(r.date for r in found))
    return tuple(
        views.Revision(date, "revision", i18n.gettext(FIRST_VERSION if number == len(dates) - 1 else REVISED), "", "")
        for number, date in enumerate(dates)
    )


def _persona(persona: models.Persona) -> views.Persona:
    return views.Persona(
        title=persona.title,
        role=persona.role,
        data_skills=words.label(words.DATA_SKILLS, persona.data_skills) if persona.data_skills else None,
        goals=tuple(persona.goals),
        pain_points=tuple(persona.pain_points),
        data_needs=tuple(persona.data_needs),
    )


def _feedback(project: Project, plan_id: str) -> dict[str, views.Feedback]:
    """The feedback on the plan that may be shown, by id, oldest first: never private feedback."""
    items = shown_feedback(project, plan_id)
    return {f.id: _one_feedback(number, f, record) for number, (f, record) in enumerate(items, start=1)}


def shown_feedback(project: Project, plan_id: str) -> list[tuple[models.Feedback, Record]]:
    """The feedback on the plan that may be shown, oldest first, as the plan numbers it (F1...)."""
    from tdekit.records.models import Feedback

    return sorted(
        (
            (f, record)
            for record in project.of_kind("feedback")
            if (f := record.values_as(Feedback)) is not None and f.plan == plan_id
            and consent.showing(record).counted
        ),
        key=lambda pair: (pair[0].date, pair[0].id),
    )


def _place(section: str) -> views.Place:
    """A part of the plan named as a record names it ("Milestones", "timeline")."""
    key = words.SECTION_NAMES.get(" ".join(section.lower().replace("_", " ").split()))
    return views.Place(words.label(words.SECTION_TITLES, key) if key else section, key)


def _changes(plan: models.Plan, shown: dict[str, views.Feedback], project: Project) -> tuple[views.Change, ...]:
    """The team's own account of its changes, each with the feedback it answers that may be
    shown (by its number in the log); the private ones only counted."""
    known = {r.id for r in project.of_kind("feedback")}
    made = []
    for change in plan.changes:
        place = _place(change.section)
        refs = tuple(views.FeedbackRef(shown[i].number, shown[i].anchor) for i in change.feedback if i in shown)
        withheld = sum(1 for i in change.feedback if i not in shown and i in known)
        made.append(views.Change(place.section, place.section_key, change.change, refs, withheld))
    return tuple(made)


def _led_to(plan: models.Plan, shown: dict[str, views.Feedback]) -> tuple[views.Feedback, ...]:
    """The feedback shown, each with the parts of the plan changed in answer to it."""
    places: dict[str, list[views.Place]] = {}
    for change in plan.changes:
        for item in change.feedback:
            place = _place(change.section)
            if place not in places.setdefault(item, []):
                places[item].append(place)
    return tuple(replace(f, led_to=tuple(places.get(i, ()))) for i, f in shown.items())


def _comment(plan: models.Plan, today: dt.date) -> views.CommentPeriod | None:
    period = plan.comment_period
    if period is None:
        return None
    return views.CommentPeriod(
        opens=_date(period.opens), closes=_date(period.closes), how=period.how or "",
        email=period.email or "", form_url=period.form_url or "", contact=period.contact or "",
        open=period.closes is None or period.closes >= today,
    )


def _one_feedback(number: int, feedback: models.Feedback, record: Record) -> views.Feedback:
    shown = consent.showing(record)
    section = feedback.section or ""
    place = _place(section)
    return views.Feedback(
        number=f"F{number}",
        anchor=f"f{number}",
        title=feedback.title,
        date=feedback.date.isoformat(),
        who=consent.who(feedback.source, shown, words.label(words.ANONYMOUS_SOURCES, feedback.channel)),
        channel=words.label(words.CHANNELS, feedback.channel),
        section=place.section,
        section_key=place.section_key,
        disposition=feedback.disposition,
        disposition_label=words.label(words.DISPOSITIONS, feedback.disposition),
        body=record.doc.body if shown.body else "",
        response=feedback.response or "",
    )


def _tally(feedback: Iterable[views.Feedback]) -> tuple[views.Tally, ...]:
    counts = Counter(f.disposition for f in feedback)
    return tuple(
        views.Tally(words.label(words.DISPOSITIONS, key), key, counts[key], _counted(key, counts[key]))
        for key in words.DISPOSITIONS
        if counts[key]
    )


def _counted(disposition: str, n: int) -> str:
    """``3 accepted``: how many pieces of feedback had a disposition, in the output's language."""
    texts = {
        "open": i18n.ngettext("%(num)d open", "%(num)d open", n),
        "accepted": i18n.ngettext("%(num)d accepted", "%(num)d accepted", n),
        "partly_accepted": i18n.ngettext("%(num)d partly accepted", "%(num)d partly accepted", n),
        "declined": i18n.ngettext("%(num)d declined", "%(num)d declined", n),
    }
    return texts[disposition] % {"num": n}
