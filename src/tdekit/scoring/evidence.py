"""The evidence behind a use case: the conversations that back it, the people in them, the votes.

A use case's evidence is every interview that it lists in ``evidence`` or that lists it in
``usecases``; a use case resting on at most one conversation is *thinly evidenced*. An
interview file with problems still counts as a conversation held, but only a checked
stakeholder type is trusted.

A one-to-one interview counts as one person of its ``stakeholder_type``; a group engagement
(any other tactic) as the sum of its ``participants``, or one person when it counts none, and
its types are its ``stakeholder_type`` and every type with someone among its participants.
A use case's votes are the dots of every engagement's ``tallies`` that name it, whether or not
the engagement lists it. A private engagement adds to the counts only: its title is not given.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from tdekit.records.kinds import COMMUNITY_TYPES
from tdekit.records.models import Interview, UseCase
from tdekit.records.record import Project


@dataclass(frozen=True)
class Evidence:
    """The interviews behind a use case.

    ``community`` counts interviews with residents or community groups; ``thin`` is True when
    the use case rests on at most one interview. ``people`` is how many people those
    conversations heard, ``votes`` the dots the use case got, and ``dots`` where: (title of the
    engagement, votes), the title None for a private engagement.
    """

    interviews: tuple[str, ...]
    stakeholder_types: tuple[str, ...]
    community: int
    thin: bool
    people: int = 0
    votes: int = 0
    dots: tuple[tuple[str | None, int], ...] = ()


@dataclass(frozen=True)
class _Heard:
    """What one interview or engagement adds: its types, its people, its votes by use case."""

    types: frozenset[str]
    people: int
    title: str | None
    votes: dict[str, int]


def evidence_for(project: Project, usecases: Iterable[str] | None = None) -> dict[str, Evidence]:
    """Evidence of use case ids: the interviews each lists and those that list it.

    Every id that a use case or an interview names, unless ``usecases`` says which ones.
    """
    heard: dict[str, _Heard] = {}
    backing: dict[str, set[str]] = {}
    for record in project.of_kind("interview"):
        interview = record.values_as(Interview)
        heard[record.id] = _heard(interview)
        named = interview.usecases if interview else _ids(record.get("usecases"))
        for usecase_id in named:
            backing.setdefault(usecase_id, set()).add(record.id)
        for usecase_id in heard[record.id].votes:
            backing.setdefault(usecase_id, set())
    for record in project.of_kind("usecase"):
        usecase = record.values_as(UseCase)
        listed = usecase.evidence if usecase else _ids(record.get("evidence"))
        backing.setdefault(record.id, set()).update(i for i in listed if i in heard)
    # The dots each use case got, engagement by engagement in id order: one pass over them all,
    # not one per use case (10,000 records made that a quadratic 3 s).
    dots: dict[str, list[tuple[str | None, int]]] = {}
    for interview_id in sorted(heard):
        each = heard[interview_id]
        for usecase_id, votes in each.votes.items():
            dots.setdefault(usecase_id, []).append((each.title, votes))
    wanted = backing if usecases is None else usecases
    return {
        usecase_id: _evidence(sorted(backing.get(usecase_id, ())), heard, tuple(dots.get(usecase_id, ())))
        for usecase_id in wanted
    }


def _heard(interview: Interview | None) -> _Heard:
    """What an interview adds to the evidence; an unchecked one, a conversation of unknown type."""
    if interview is None:
        return _Heard(frozenset(), 1, None, {})
    votes = {u: t.votes for u, t in interview.tallies.items() if t.votes}
    named = interview.title if interview.consent != "private" else None
    return _Heard(frozenset(types_heard(interview)), people_heard(interview), named, votes)


def people_heard(interview: Interview) -> int:
    """One for a one-to-one interview; a group engagement's participants, or one when it counts none."""
    if interview.tactic != "interview" and interview.participants:
        return sum(interview.participants.values())
    return 1


def types_heard(interview: Interview) -> set[str]:
    """The stakeholder types heard: the interview's own, and a group's participants' types."""
    types: set[str] = {interview.stakeholder_type}
    if interview.tactic != "interview":
        types.update(t for t, count in interview.participants.items() if count > 0)
    return types


def _evidence(ids: list[str], heard: dict[str, _Heard], dots: tuple[tuple[str | None, int], ...]) -> Evidence:
    backing = [heard[i] for i in ids]
    return Evidence(
        interviews=tuple(ids),
        stakeholder_types=tuple(sorted(set().union(*(h.types for h in backing)))),
        community=sum(1 for h in backing if h.types & set(COMMUNITY_TYPES)),
        thin=len(ids) <= 1,
        people=sum(h.people for h in backing),
        votes=sum(votes for _, votes in dots),
        dots=dots,
    )


def _ids(value: Any) -> list[str]:
    """The ids in a raw field of a file with problems: the text items of a list."""
    return [v for v in value if isinstance(v, str)] if isinstance(value, list) else []
