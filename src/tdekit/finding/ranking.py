"""``tde find``: the topics of every signal, ranked, beside the city's strategic priorities.

A topic's ``rows`` are its rows across all valid signals and its ``share`` the part of all rows
those signals counted (topics and no topic alike). Topics rank by rows, then by how many
sources name them, then by name. A topic is a ``priority`` when the text of one of tde.yaml's
``find.strategic_priorities`` contains, ignoring case, the topic's name (its ``_`` and ``-``
read as spaces too) or one of its keywords; a priority that two sources or more support is
the guide's **area of overlap**. Beside each topic stand the partners named in the project
whose records speak of it (:mod:`tdekit.finding.partners`).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from tdekit.records.record import Project


@dataclass(frozen=True)
class FromSource:
    """One signal's part in a topic."""

    signal: str
    rows: int
    share: float | None  # of that signal's rows; None when it counted none


@dataclass(frozen=True)
class RankedTopic:
    topic: str
    rows: int
    share: float | None
    sources: int
    by_source: tuple[FromSource, ...]
    priority: bool
    partners: tuple[str, ...] = ()  # the partners named in the project that speak of it

    @property
    def overlap(self) -> bool:
        return self.priority and self.sources >= 2


@dataclass(frozen=True)
class Ranking:
    topics: tuple[RankedTopic, ...]
    signals: tuple[str, ...]  # the signals counted, by id
    total: int  # their rows
    priorities: tuple[str, ...]


def rank_topics(project: Project) -> Ranking:
    """The ranking of ``project``'s topics (its tde.yaml must be readable)."""
    from tdekit.finding.partners import partner_texts, partners_of
    from tdekit.records.models import Signal

    settings = project.require_settings()
    find = settings.get("find") or {}
    keywords: Mapping[str, Sequence[str]] = find.get("topics") or {}
    priorities = tuple(find.get("strategic_priorities") or ())
    signals = [s for s in (r.values_as(Signal) for r in project.of_kind("signal")) if s is not None]
    totals = {s.id: _signal_rows(s) for s in signals}
    topics: dict[str, list[FromSource]] = {}
    for signal in signals:
        for topic, rows in signal.counts.items():
            if rows > 0:
                share = rows / totals[signal.id] if totals[signal.id] else None
                topics.setdefault(topic, []).append(FromSource(signal.id, rows, share))
    total = sum(totals.values())
    named = partner_texts(project)
    ranked = [
        RankedTopic(
            topic=topic,
            rows=sum(part.rows for part in parts),
            share=sum(part.rows for part in parts) / total if total else None,
            sources=len(parts),
            by_source=tuple(sorted(parts, key=lambda p: (-p.rows, p.signal))),
            priority=is_priority(topic, keywords.get(topic, ()), priorities),
            partners=partners_of(topic, keywords.get(topic, ()), named, mentions),
        )
        for topic, parts in topics.items()
    ]
    ranked.sort(key=lambda t: (-t.rows, -t.sources, t.topic))
    return Ranking(tuple(ranked), tuple(s.id for s in signals), total, priorities)


def _signal_rows(signal: Any) -> int:
    """What a signal counted: its rows, or its counts and unmatched when rows is not given."""
    if signal.rows is not None:
        return int(signal.rows)
    counted: int = sum(signal.counts.values()) + (signal.unmatched or 0)
    return counted


def is_priority(topic: str, keywords: Sequence[str], priorities: Sequence[str]) -> bool:
    """True when a priority's text contains the topic's name or a keyword, ignoring case."""
    return mentions(topic, keywords, priorities)


def mentions(topic: str, keywords: Sequence[str], texts: Sequence[str]) -> bool:
    """True when one of ``texts`` contains the topic's name or a keyword, ignoring case."""
    spaced = topic.replace("_", " ").replace("-", " ")
    terms = {t.strip().casefold() for t in (topic, spaced, *keywords) if t.strip()}
    return any(term in text.casefold() for text in texts for term in terms)
