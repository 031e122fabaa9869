"""The partners named in the project, beside the topics they speak to (``tde find``).

A partner is an entry of a use case's ``partners`` or the ``who`` of a plan's ``roles``,
spelled as first found (names that differ only in case are one partner). What speaks of a
partner is its name, the titles of the use cases that list it, and for a plan's role what
the role ``does``, the plan's title and its use case's title. A partner stands beside a topic
when any of that text contains, ignoring case, the topic's name (``_`` and ``-`` read as
spaces too) or one of its keywords: the rule of strategic priorities
(:func:`tdekit.finding.ranking.mentions`).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence

from tdekit.records.record import Project


def partner_texts(project: Project) -> dict[str, list[str]]:
    """Each partner's name (as first spelled) and the texts that speak of it, by name."""
    from tdekit.records.models import Plan, UseCase

    texts: dict[str, list[str]] = {}
    spelled: dict[str, str] = {}

    def add(name: str, *about: str) -> None:
        name = " ".join(name.split())
        if not name:
            return
        key = spelled.setdefault(name.casefold(), name)
        texts.setdefault(key, [key]).extend(text for text in about if text)

    usecases = {}
    for record in project.of_kind("usecase"):
        usecase = record.values_as(UseCase)
        if usecase is None:
            continue
        usecases[usecase.id] = usecase.title
        for partner in usecase.partners:
            add(partner, usecase.title)
    for record in project.of_kind("plan"):
        plan = record.values_as(Plan)
        if plan is None or plan.translation_of is not None:  # a translation names its source's partners
            continue
        for role in plan.roles:
            add(role.who, role.does, plan.title, usecases.get(plan.usecase, ""))
    return texts


def partners_of(
    topic: str,
    keywords: Sequence[str],
    texts: Mapping[str, Sequence[str]],
    mentions: Callable[[str, Sequence[str], Sequence[str]], bool],
) -> tuple[str, ...]:
    """The partners whose texts mention ``topic`` or one of its keywords, by name."""
    return tuple(sorted((name for name, about in texts.items() if mentions(topic, keywords, about)), key=str.casefold))
