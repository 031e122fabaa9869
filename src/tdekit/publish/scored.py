"""The use case's section of a plan: why it was chosen (score, rank) and the voices behind it.

The ranking is :func:`tdekit.scoring.score_usecases`'s and the interviews behind the use case
are :mod:`tdekit.scoring.evidence`'s; this module only decides what of them is shown, consent
applied (:mod:`tdekit.publish.consent`), and writes the numbers as text.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING

from tdekit import i18n
from tdekit import labels as words
from tdekit.publish import consent, views
from tdekit.records.kinds import COMMUNITY_TYPES
from tdekit.records.record import Project, Record
from tdekit.text import humanize

if TYPE_CHECKING:
    from tdekit.records import models
    from tdekit.scoring import UseCaseScore

#: What a score, share or contribution reads when it is not a finite number.
UNKNOWN = i18n.N_("unknown")
#: What a use case or a criterion not yet rated shows instead of a number.
NOT_SCORED = i18n.N_("not scored")


def usecase_view(project: Project, record: Record, ranking: Sequence[UseCaseScore] | None) -> views.UseCase:
    """The plan's use case: ``ranking`` is every scorable use case in rank order (worked out
    here when None)."""
    from tdekit.records.models import UseCase
    from tdekit.scoring import evidence_for, scale_of, score_usecases

    usecase = record.values_as(UseCase)
    assert usecase is not None  # check_renderable refused a plan whose use case has errors
    if ranking is None:
        ranking = score_usecases(project)
    mine = next((s for s in ranking if s.id == record.id), None)
    behind = mine.evidence if mine is not None else evidence_for(project, [record.id])[record.id]
    return views.UseCase(
        title=usecase.title,
        status=words.label(words.USECASE_STATUSES, usecase.status),
        score=_score(project, mine, ranking, scale_of(project), usecase.score_notes),
        evidence=_evidence(project, record.id, behind.interviews),
        stories=tuple(views.Story(story_who(s.as_a), s.i_want, s.so_that) for s in usecase.user_stories),
        datasets=tuple(dataset_view(d) for d in usecase.datasets),
        partners=tuple(usecase.partners),
        considered=tuple(_considered(s, chosen=s.id == record.id) for s in ranking),
    )


def story_who(as_a: str) -> str:
    """The user story's "as a ...": English words gain their article; other languages keep the
    record's words as written."""
    return words.with_article(as_a) if i18n.current() == i18n.SOURCE else as_a


def dataset_view(dataset: models.Dataset) -> views.Dataset:
    """A dataset as outputs show it: name, status in the output's words, who holds it."""
    status = words.label(words.DATASET_STATUSES, dataset.status) if dataset.status else ""
    return views.Dataset(dataset.name, status, dataset.owner or "")


def _considered(score: UseCaseScore, *, chosen: bool) -> views.Considered:
    return views.Considered(
        rank=(f"={score.rank}" if score.tied else str(score.rank)) if _finite(score.score) else "–",
        title=score.title,
        score=_fixed(score.score, i18n.gettext(NOT_SCORED)),
        partial=_finite(score.score) and score.incomplete,
        status=words.label(words.USECASE_STATUSES, score.status),
        chosen=chosen,
    )


def _score(
    project: Project,
    score: UseCaseScore | None,
    ranking: Sequence[UseCaseScore],
    scale: tuple[int, int],
    notes: Mapping[str, str],
) -> views.Score | None:
    from tdekit.scoring import criteria_of

    if score is None or score.score is None:
        return None
    low, high = scale
    meanings = criteria_of(project)
    shares = _shares([c.weight for c in score.criteria])
    return views.Score(
        score=_fixed(score.score, i18n.gettext(UNKNOWN)),
        known=_finite(score.score),
        scale=f"{low}–{high}",
        top=str(high),
        rank=score.rank,
        tied=score.tied,
        ranked=len(ranking),
        unscored=sum(1 for s in ranking if s.score is None),
        partial=sum(1 for s in ranking if _finite(s.score) and s.incomplete),
        criteria=tuple(
            views.Criterion(
                name=humanize(c.name).capitalize(),
                meaning=str(meanings.get(c.name, {}).get("meaning") or ""),
                share=share,
                value=str(c.value) if c.value is not None else i18n.gettext(NOT_SCORED),
                contribution=_fixed(c.contribution, "–"),
                note=notes.get(c.name, ""),
            )
            for c, share in zip(score.criteria, shares, strict=True)
        ),
        missing=tuple(humanize(n) for n in score.missing),
    )


def _finite(value: float | None) -> bool:
    return value is not None and math.isfinite(value)


def _fixed(value: float | None, absent: str) -> str:
    """``4.30``; ``absent`` for None; ``unknown`` for a value that is not a finite number."""
    if value is None:
        return absent
    return f"{value:.2f}" if math.isfinite(value) else i18n.gettext(UNKNOWN)


def _shares(weights: Sequence[float]) -> list[str]:
    """Each weight as a share of their sum, ``25 %``; ``unknown`` where that is no finite number.

    When huge weights overflow the sum, they are scaled by the largest first.
    """
    largest = max((abs(w) for w in weights), default=0.0)
    if not math.isfinite(largest):
        return [i18n.gettext(UNKNOWN)] * len(weights)
    if not math.isfinite(sum(weights)):
        weights = [w / largest for w in weights]
    total = sum(weights) or 1.0
    return [f"{round(100 * w / total)} %" if math.isfinite(100 * w / total) else i18n.gettext(UNKNOWN) for w in weights]


def _evidence(project: Project, usecase_id: str, interview_ids: Sequence[str]) -> views.Evidence:
    """The conversations behind the use case that may be shown; private ones count for nothing,
    but for the people at a private group engagement, who add to the number of people only."""
    from tdekit.records.models import Interview
    from tdekit.scoring.evidence import people_heard, types_heard

    by_id = project.by_id()
    shown = []
    unnamed = 0
    for interview_id in interview_ids:
        interview = by_id[interview_id].values_as(Interview)
        may = consent.showing(by_id[interview_id])
        if interview is not None and may.counted:
            shown.append((interview, may))
        elif interview is not None and _is_group(interview) and interview.participants:
            unnamed += people_heard(interview)  # the numbers a private engagement recorded, nothing else
    shown.sort(key=lambda pair: (pair[0].date, pair[0].id))
    kinds = [types_heard(i) for i, _ in shown]
    return views.Evidence(
        count=len(shown),
        types=tuple(words.label(words.STAKEHOLDER_GROUPS, t) for t in words.STAKEHOLDER_GROUPS if any(t in k for k in kinds)),
        community=sum(1 for k in kinds if k & set(COMMUNITY_TYPES)),
        thin=len(shown) <= 1,
        voices=tuple(_voice(i, showing) for i, showing in shown),
        people=sum(people_heard(i) for i, _ in shown) + unnamed,
        unnamed_people=unnamed,
        groups=tuple(_group(i, showing, usecase_id) for i, showing in shown if _counts_heads(i, usecase_id)),
    )


def _is_group(interview: models.Interview) -> bool:
    return interview.tactic != "interview"


def _counts_heads(interview: models.Interview, usecase_id: str) -> bool:
    """A group engagement that says who came, or what this use case got there."""
    tally = interview.tallies.get(usecase_id)
    return _is_group(interview) and bool(
        interview.participants or interview.organizations or (tally is not None and (tally.votes or tally.cards))
    )


def _group(interview: models.Interview, showing: consent.Showing, usecase_id: str) -> views.Group:
    from tdekit.scoring.evidence import people_heard

    tally = interview.tallies.get(usecase_id)
    return views.Group(
        kind=words.label(words.INTERVIEW_TACTICS, interview.tactic),
        date=interview.date.isoformat(),
        people=people_heard(interview),
        headcounts=tuple(
            views.Headcount(words.label(words.STAKEHOLDER_GROUPS, t).capitalize(), interview.participants[t])
            for t in words.STAKEHOLDER_GROUPS
            if interview.participants.get(t)
        ),
        organizations=tuple(interview.organizations) if showing.organization else (),
        votes=(tally.votes or 0) if tally is not None else 0,
    )


def _voice(interview: models.Interview, showing: consent.Showing) -> views.Voice:
    name = interview.interviewee
    if showing.organization and interview.organization:
        name += f", {interview.organization}"
    return views.Voice(
        who=consent.who(name, showing, words.label(words.ANONYMOUS_PEOPLE, interview.stakeholder_type)),
        kind=words.label(words.INTERVIEW_TACTICS, interview.tactic),
        date=interview.date.isoformat(),
    )
