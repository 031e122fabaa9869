"""The evidence behind a use case: the conversations that back it.

A use case's evidence is every interview that it lists in ``evidence`` or that lists it in
``usecases``; a use case resting on at most one conversation is *thinly evidenced*. An
interview file with problems still counts as a conversation held, but only a checked
stakeholder type is trusted.
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
    the use case rests on at most one interview.
    """

    interviews: tuple[str, ...]
    stakeholder_types: tuple[str, ...]
    community: int
    thin: bool


def evidence_for(project: Project, usecases: Iterable[str] | None = None) -> dict[str, Evidence]:
    """Evidence of use case ids: the interviews each lists and those that list it.

    Every id that a use case or an interview names, unless ``usecases`` says which ones.
    """
    types: dict[str, str | None] = {}
    backing: dict[str, set[str]] = {}
    for record in project.of_kind("interview"):
        interview = record.values_as(Interview)
        types[record.id] = interview.stakeholder_type if interview else None
        named = interview.usecases if interview else _ids(record.get("usecases"))
        for usecase_id in named:
            backing.setdefault(usecase_id, set()).add(record.id)
    for record in project.of_kind("usecase"):
        usecase = record.values_as(UseCase)
        listed = usecase.evidence if usecase else _ids(record.get("evidence"))
        backing.setdefault(record.id, set()).update(i for i in listed if i in types)
    wanted = backing if usecases is None else usecases
    result: dict[str, Evidence] = {}
    for usecase_id in wanted:
        ids = sorted(backing.get(usecase_id, ()))
        known = [t for t in map(types.__getitem__, ids) if t is not None]
        result[usecase_id] = Evidence(
            interviews=tuple(ids),
            stakeholder_types=tuple(sorted(set(known))),
            community=sum(1 for t in known if t in COMMUNITY_TYPES),
            thin=len(ids) <= 1,
        )
    return result


def _ids(value: Any) -> list[str]:
    """The ids in a raw field of a file with problems: the text items of a list."""
    return [v for v in value if isinstance(v, str)] if isinstance(value, list) else []

