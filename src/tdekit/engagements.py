"""The rules of group engagements and of personas, across records (``tde validate``).

An interview whose ``tactic`` is not ``interview`` is a group engagement: a scope-a-thon, a
consultation, a workshop. It may say who came (``participants``: stakeholder type to a count of
people) and what they voted for (``tallies``: use case id to votes and cards). The border
checks the shapes (whole numbers, none negative); the rules here check the names: the types are
stakeholder types, the tallies name use cases of the project, each tally counts something, and
a one-to-one interview has no participants to count. A persona is a composite: one resting on
a single interview is a warning.

The rules read the raw front matter (``record.get``) so that a file with another problem is
still checked here.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from tdekit.problems import Problem
from tdekit.records.kinds import STAKEHOLDER_TYPES
from tdekit.records.record import Project, Record
from tdekit.text import closest

__all__ = ["check_engagements"]


def check_engagements(project: Project) -> Iterator[Problem]:
    """The problems of group engagements' participants and tallies, and of thin personas."""
    usecases = [r.id for r in project.of_kind("usecase")]
    usecases_read = "usecases" not in project.outside
    for record in project.of_kind("interview"):
        yield from _participants(record)
        yield from _tallies(record, usecases if usecases_read else None)
    interviews = {r.id for r in project.of_kind("interview")}
    for record in project.of_kind("persona"):
        yield from _persona(record, interviews)


def _map(record: Record, field: str) -> dict[Any, Any]:
    value = record.get(field)
    return value if isinstance(value, dict) else {}


def _participants(record: Record) -> Iterator[Problem]:
    participants = _map(record, "participants")
    if participants and record.get("tactic") == "interview":
        yield record.doc.problem(
            ("participants",), "warning", "one-to-one-participants",
            "participants are counted for group engagements; this is a one-to-one interview "
            "(tactic: interview), which counts as one person of its stakeholder_type",
            key=True,
        )
    for name in participants:
        if isinstance(name, str) and name not in STAKEHOLDER_TYPES:
            guess = closest(name, STAKEHOLDER_TYPES, fold=True)
            hint = f" (did you mean '{guess}'?)" if guess else ""
            yield record.doc.problem(
                ("participants", name), "error", "unknown-stakeholder-type",
                f"'{name}' in participants is not a stakeholder type{hint}; the types are "
                f"{', '.join(STAKEHOLDER_TYPES)}",
                key=True,
            )


def _tallies(record: Record, usecases: list[str] | None) -> Iterator[Problem]:
    for name, tally in _map(record, "tallies").items():
        if not isinstance(name, str):
            continue
        if usecases is not None and name not in usecases:
            guess = closest(name, usecases, fold=True)
            hint = f"; did you mean '{guess}'?" if guess else ""
            yield record.doc.problem(
                ("tallies", name), "error", "unknown-reference",
                f"'{name}' in tallies is not a use case of this project (no usecases/{name}.md){hint}",
                key=True,
            )
        if isinstance(tally, dict) and not ({"votes", "cards"} & tally.keys()):
            yield record.doc.problem(
                ("tallies", name), "error", "empty-tally",
                f"the tally for '{name}' counts nothing; give votes, cards or both",
            )


def _persona(record: Record, interviews: set[str]) -> Iterator[Problem]:
    """A persona that lists one interview only, one of the project (an unknown id is reported as such)."""
    listed = record.get("interviews")
    ids = {i for i in listed if isinstance(i, str)} if isinstance(listed, list) else set()
    if len(ids) == 1 and ids <= interviews:
        yield record.doc.problem(
            ("interviews",), "warning", "persona-one-interview",
            "this persona rests on a single interview; a persona is a composite of several "
            "people, so base it on more interviews or say it is one person's story",
            key=True,
        )
