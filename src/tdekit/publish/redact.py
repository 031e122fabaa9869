"""The redaction check: nothing that consent withholds is in a finished document.

What is withheld (:func:`withheld`): the names (``interviewee``, ``source``) of private and
anonymous interviews and feedback, the ``organization`` of private interviews and the
``organizations`` of private group engagements, and each sentence of six words or more of a
private record's body; and, whatever the consent, the fields no output shows
(:func:`tdekit.publish.consent.never_shown`: feedback's ``contact``). A record whose consent
cannot be read counts as private. A name written as "Name, Organization" is looked for whole
and by each comma-separated part of two words or more. A value of one character is not looked
for.

What is public knowledge (:func:`public_texts`) is not looked for: a value that the project
also states in a public place, that is ``tde.yaml``, the front matter of plans, use cases and
personas and of records with public consent (their never-shown fields aside), and tdekit's own
words ("A resident"). Bodies are not such a place: a plan's body is where a leak would be.

Matching ignores case, runs of whitespace and markup: both sides are read as sequences of
words (letters and digits, after Unicode compatibility folding, with invisible format
characters dropped), so ``**Rosa** &nbsp;Parks``, ``Ro<b>s</b>a Parks`` and ``ROSA\\nPARKS`` all
read ``rosa parks``. The document is read twice, as its text (see :mod:`.reading`) and as its
source, and searched once each with an Aho-Corasick automaton over words: linear in the size
of the document, whatever the number of values.
"""

from __future__ import annotations

import itertools
import re
import unicodedata
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any

from tdekit.errors import TdeError
from tdekit.publish.reading import Reading
from tdekit.records.record import Project, Record
from tdekit.text import plural

_WORD = re.compile(r"[^\W_]+")
#: Unicode's format characters (category Cf: soft hyphen, zero-width space and joiners, bidi
#: marks, tags...), which show nothing and would split a word: dropped before words are read.
_INVISIBLE = re.compile(
    "[\u00ad\u0600-\u0605\u061c\u06dd\u070f\u0890\u0891\u08e2\u180e\u200b-\u200f"
    "\u202a-\u202e\u2060-\u2064\u2066-\u206f\ufeff\ufff9-\ufffb\U000110bd\U000110cd"
    "\U00013430-\U0001343f\U0001bca0-\U0001bca3\U0001d173-\U0001d17a\U000e0001\U000e0020-\U000e007f]"
)
#: Where a private body's sentences end: after . ! ? and at a paragraph, heading or list item.
_SENTENCE_END = re.compile(r"(?<=[.!?])[\s\"'”’)\]]+|\n\s*\n|\n(?=\s*(?:[#>|*+-]|\d+[.)])\s)")
#: Markup in a private body that a rendered form would not show as words.
_BODY_MARKUP = re.compile(r"\]\([^)\s]*(?:\s+\"[^\"]*\")?\)|<[^>\n]*>|^\s*\[[^\]]+\]:.*$", re.MULTILINE)
#: Shortest sentence of a private body that is looked for, in words.
SENTENCE_WORDS = 6
#: Fields that name a person or group, by kind of record.
NAME_FIELDS = {"interview": "interviewee", "feedback": "source"}


class WithheldOutput(TdeError):
    """The finished document holds a value that consent withholds: nothing is written."""


@dataclass(frozen=True)
class Value:
    """One withheld value to look for: where it comes from, and its words."""

    record: str  # the record's path, plans/x.md
    field: str  # "interviewee", "organization", "source", "body"
    consent: str
    words: tuple[str, ...]


def words(text: str) -> list[str]:
    """The words of ``text`` as the check compares them: folded, lower case, markup gone."""
    return _WORD.findall(_fold(text))


def _fold(text: str) -> str:
    """``text`` in compatibility form, without invisible format characters, case folded."""
    if not text.isascii():
        text = _INVISIBLE.sub("", unicodedata.normalize("NFKC", text))
    return text.casefold()


# --- what is withheld, what is public --------------------------------------------------------


def withheld(project: Project) -> list[Value]:
    """Every value that consent withholds in ``project`` (see the module's docstring)."""
    from tdekit.publish.consent import never_shown

    values: list[Value] = []
    for record in project.records:
        for name in never_shown(record.kind):
            value = record.get(name)
            if isinstance(value, str):
                values.extend(Value(record.rel, name, "never shown", w) for w in [tuple(words(value))] if w)
        if record.kind not in NAME_FIELDS:
            continue
        consent = _consent(record)
        if consent == "public":
            continue
        fields = [NAME_FIELDS[record.kind]] + (["organization"] if consent == "private" else [])
        for name in fields:
            value = record.get(name)
            if isinstance(value, str):
                values.extend(Value(record.rel, name, consent, w) for w in _name_forms(value))
        if consent == "private" and isinstance(listed := record.get("organizations"), list):
            for value in listed:  # the organizations that came to a private group engagement
                if isinstance(value, str):
                    values.extend(Value(record.rel, "organizations", consent, w) for w in _name_forms(value))
        if consent == "private":
            values.extend(Value(record.rel, "body", consent, w) for w in sentences(record.doc.body))
    return values


def _consent(record: Record) -> str:
    consent = record.get("consent")
    return consent if consent in ("public", "anonymous") else "private"


def _name_forms(value: str) -> Iterator[tuple[str, ...]]:
    """A name whole, and each comma-separated part of it of two words or more."""
    whole = tuple(words(value))
    if len(whole) > 1 or (whole and len(whole[0]) > 1):
        yield whole
    parts = value.split(",")
    if len(parts) > 1:
        for part in parts:
            found = tuple(words(part))
            if len(found) >= 2 and found != whole:
                yield found


def sentences(body: str) -> Iterator[tuple[str, ...]]:
    """The words of each sentence of ``body`` of at least :data:`SENTENCE_WORDS` words."""
    text = _fold(_BODY_MARKUP.sub(lambda m: " " if m.group().startswith("<") else "] ", body))
    seen: set[tuple[str, ...]] = set()
    for sentence in _SENTENCE_END.split(text):
        found = tuple(_WORD.findall(sentence))
        if len(found) >= SENTENCE_WORDS and found not in seen:
            seen.add(found)
            yield found


def public_texts(project: Project) -> Iterator[str]:
    """Every text the project states in a public place (see the module's docstring)."""
    from tdekit import labels
    from tdekit.i18n import gettext
    from tdekit.publish.consent import never_shown

    yield from _strings(project.settings or {})
    for record in project.records:
        if record.kind in NAME_FIELDS and _consent(record) != "public":
            continue
        data = record.data if record.data is not None else (record.doc.data or {})
        hidden = never_shown(record.kind)
        if hidden and isinstance(data, dict):
            data = {key: value for key, value in data.items() if key not in hidden}
        yield from _strings(data)
    for name in dir(labels):
        table = getattr(labels, name)
        if name.isupper() and isinstance(table, dict):
            for text in _strings(table):
                yield text
                yield gettext(text)  # as the output's language shows it


def _strings(value: Any) -> Iterator[str]:
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for item in value.values():
            yield from _strings(item)
    elif isinstance(value, (list, tuple)):
        for item in value:
            yield from _strings(item)


# --- the search ------------------------------------------------------------------------------


class Automaton:
    """Aho-Corasick over word ids: finds every pattern in one pass over a stream of ids."""

    def __init__(self, patterns: list[tuple[int, ...]]) -> None:
        self.goto: list[dict[int, int]] = [{}]
        self.ends: list[list[int]] = [[]]
        self.lengths = [len(p) for p in patterns]
        for index, pattern in enumerate(patterns):
            node = 0
            for word in pattern:
                following = self.goto[node].get(word)
                if following is None:
                    following = len(self.goto)
                    self.goto[node][word] = following
                    self.goto.append({})
                    self.ends.append([])
                node = following
            self.ends[node].append(index)
        self.fail = [0] * len(self.goto)
        self.report = [0] * len(self.goto)  # nearest node down the fail links that ends a pattern
        self._link()

    def _link(self) -> None:
        queue = list(self.goto[0].values())
        for node in queue:  # breadth first: a node's fail link is set before its children's
            for word, child in self.goto[node].items():
                queue.append(child)
                fallback = self.fail[node]
                while fallback and word not in self.goto[fallback]:
                    fallback = self.fail[fallback]
                target = self.goto[fallback].get(word, 0)
                self.fail[child] = target if target != child else 0
                self.report[child] = self.fail[child] if self.ends[self.fail[child]] else self.report[self.fail[child]]

    def search(self, stream: Iterable[int]) -> Iterator[tuple[int, int]]:
        """(pattern, position of its first word) for each occurrence, in order of their ends."""
        node = 0
        for position, word in enumerate(stream):
            while node and word not in self.goto[node]:
                node = self.fail[node]
            node = self.goto[node].get(word, 0)
            found = node if self.ends[node] else self.report[node]
            while found:
                for pattern in self.ends[found]:
                    yield pattern, position - self.lengths[pattern] + 1
                found = self.report[found]


def _stream(runs: Iterable[tuple[int, str, bool]], vocabulary: dict[str, int]) -> tuple[list[int], list[int]]:
    """Word ids and their lines for text runs; a joined run continues the word before it."""
    ids: list[int] = []
    lines: list[int] = []
    pieces: list[str] = []
    starts: list[tuple[int, int]] = []  # (offset in the joined text, line) of each piece

    def flush() -> None:
        text = "".join(pieces)
        if len(pieces) == 1 or "\n" not in text:  # the usual case: words read line by line, in C
            for number, part in enumerate(text.split("\n")):
                found = _WORD.findall(part)
                ids.extend([vocabulary.setdefault(w, len(vocabulary)) for w in found])
                lines.extend([starts[0][1] + number] * len(found))
            pieces.clear()
            starts.clear()
            return
        index, cursor, newlines = 0, 0, 0
        for match in _WORD.finditer(text):
            while index + 1 < len(starts) and starts[index + 1][0] <= match.start():
                index += 1
                cursor, newlines = starts[index][0], 0
            newlines += text.count("\n", cursor, match.start())
            cursor = match.start()
            ids.append(vocabulary.setdefault(match.group(), len(vocabulary)))
            lines.append(starts[index][1] + newlines)
        pieces.clear()
        starts.clear()

    offset = 0
    for line, text, joined in runs:
        if pieces and not joined:
            flush()
            offset = 0
        folded = _fold(text)
        starts.append((offset, line))
        pieces.append(folded)
        offset += len(folded)
    if pieces:
        flush()
    return ids, lines


def _ngrams(streams: list[list[int]]) -> tuple[set[tuple[int, int]], set[tuple[int, int, int]]]:
    """The pairs and triples of consecutive words in the streams."""
    pairs: set[tuple[int, int]] = set()
    triples: set[tuple[int, int, int]] = set()
    for ids in streams:
        pairs.update(itertools.pairwise(ids))
        triples.update(zip(ids, ids[1:], ids[2:], strict=False))
    return pairs, triples


def _possible(ids: tuple[int, ...], pairs: set[tuple[int, int]], triples: set[tuple[int, int, int]]) -> bool:
    """Whether the words ``ids`` may be in the document: each of their triples (pairs) is."""
    if len(ids) >= 3:
        return all(t in triples for t in zip(ids, ids[1:], ids[2:], strict=False))
    return len(ids) < 2 or (ids[0], ids[1]) in pairs


def _public(project: Project, candidates: set[tuple[str, ...]]) -> set[tuple[str, ...]]:
    """Those of ``candidates`` (word sequences) that the project states in a public place."""
    if not candidates:
        return set()
    text = "\x00".join(_fold(t) for t in public_texts(project))
    return {candidate for candidate in candidates if _occurs(candidate, text)}


def _occurs(candidate: tuple[str, ...], text: str) -> bool:
    """Whether the words ``candidate`` follow one another in ``text`` (texts split by NUL)."""
    gap = r"(?:[^\w\x00]|_)+"
    pattern = r"(?<![^\W_])" + gap.join(map(re.escape, candidate)) + r"(?![^\W_])"
    return re.search(pattern, text) is not None


@dataclass(frozen=True)
class Hit:
    line: int
    value: Value


def find_withheld(project: Project, reading: Reading, *, limit: int = 100) -> list[Hit]:
    """Where the document holds withheld values that are not public knowledge, by line."""
    vocabulary: dict[str, int] = {}
    streams = [_stream(reading.text, vocabulary), _stream([(1, reading.source, False)], vocabulary)]
    pairs, triples = _ngrams([ids for ids, _ in streams])
    patterns: dict[tuple[int, ...], list[Value]] = {}
    for value in withheld(project):
        ids = tuple(vocabulary.get(w, -1) for w in value.words)
        if -1 not in ids and _possible(ids, pairs, triples):
            patterns.setdefault(ids, []).append(value)
    if not patterns:
        return []
    keys = list(patterns)
    automaton = Automaton(keys)
    found: dict[int, int] = {}  # pattern -> first line it is on
    for stream, lines in streams:
        for pattern, start in automaton.search(stream):
            if pattern not in found or lines[start] < found[pattern]:
                found[pattern] = lines[start]
    public = _public(project, {patterns[keys[p]][0].words for p in found})
    hits = [
        Hit(line, value)
        for pattern, line in found.items()
        for value in patterns[keys[pattern]]
        if value.words not in public
    ]
    return sorted(hits, key=lambda h: (h.line, h.value.record, h.value.field))[:limit]


def refuse_withheld(project: Project, reading: Reading, document: str = "plan") -> None:
    """Raise :class:`WithheldOutput` naming the first withheld value the document holds
    (``document`` is what the message calls it: "plan", "cards", "feedback export")."""
    hits = find_withheld(project, reading)
    if not hits:
        return
    first = hits[0].value
    held = "a sentence of the body" if first.field == "body" else f"the {first.field}"
    why = "which no output shows" if first.consent == "never shown" else f"which its consent ({first.consent}) withholds"
    records = len({h.value.record for h in hits})
    more = f" ({plural(len(hits) - 1, 'more such value')}, from {plural(records, 'record')})" if len(hits) > 1 else ""
    raise WithheldOutput(
        f"refusing the rendered {document} ({reading.fmt}): output line {hits[0].line} holds {held} of "
        f"{first.record}, {why}{more}; nothing was written"
    )
