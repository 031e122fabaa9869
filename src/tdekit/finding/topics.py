"""Which topic a request belongs to: tde.yaml's ``find.topics``, a map of topic -> keywords.

A **category** (the value of a column such as ``Complaint Type`` or ``service_name``) is in a
topic when, ignoring case, it equals the topic's name or contains one of its keywords. **Free
text** (a description) is in a topic when one of the topic's keywords, or its name, appears
in it as whole words, ignoring case. When several topics fit, the first in tde.yaml's order
wins, so a request is counted once.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence

#: Categories remembered with their topic: a category column has few distinct values, and a
#: column of free text given as a category must not fill the memory.
_CACHE_LIMIT = 100_000


class TopicMap:
    """The topics of tde.yaml, ready to put categories and text in them."""

    def __init__(self, topics: Mapping[str, Sequence[str]]) -> None:
        self.topics: tuple[str, ...] = tuple(topics)
        self._keywords: tuple[tuple[str, str, tuple[str, ...]], ...] = tuple(
            (name, name.strip().casefold(), tuple(k.strip().casefold() for k in words if k.strip()))
            for name, words in topics.items()
        )
        self._cache: dict[str, str | None] = {}
        self._text = _text_pattern(topics)
        self._each = tuple(_text_pattern({name: words}) or re.compile("(?!)") for name, words in topics.items())

    def for_category(self, category: str) -> str | None:
        """The topic of a category value, or None."""
        try:
            return self._cache[category]
        except KeyError:
            pass
        folded = category.strip().casefold()
        found = next(
            (name for name, own, words in self._keywords if folded == own or any(w in folded for w in words)),
            None,
        ) if folded else None
        if len(self._cache) < _CACHE_LIMIT:
            self._cache[category] = found
        return found

    def for_text(self, *texts: str) -> str | None:
        """The topic of the first topic whose keyword appears in ``texts`` as whole words.

        One search with every topic finds the leftmost keyword; only the topics listed before
        its topic are then looked for, from there on."""
        if self._text is None:
            return None
        best: int | None = None
        for text in texts:
            match = self._text.search(text)
            if match is None:
                continue
            found = (match.lastindex or 1) - 1
            at = match.start()
            for earlier in range(min(found, best if best is not None else found)):
                if self._each[earlier].search(text, at):
                    found = earlier
                    break
            best = found if best is None else min(best, found)
            if best == 0:
                break
        return self.topics[best] if best is not None else None


def _text_pattern(topics: Mapping[str, Sequence[str]]) -> re.Pattern[str] | None:
    """One pattern with a group per topic, in order: whole words, ignoring case."""
    groups = []
    for name, words in topics.items():
        terms = sorted({w.strip() for w in (name, *words) if w.strip()}, key=len, reverse=True)
        groups.append("(" + "|".join(re.escape(t) for t in terms) + ")" if terms else "(?!)")
    if not groups:
        return None
    return re.compile(r"(?<!\w)(?:" + "|".join(groups) + r")(?!\w)", re.IGNORECASE)
