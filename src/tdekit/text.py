"""Rules and words about text, each in one place.

* **Control characters**: which characters a record file, a one-line value, a terminal line
  or a link may not hold, as compiled patterns that the reader, the writer, the scaffolding,
  the output and the Markdown layer share.
* **Did you mean**: :func:`closest`, the one guess at what a mistyped name meant.
* **Words**: :func:`join_words` (``a, b and c``), :func:`plural` (``3 errors``) and
  :func:`humanize` (``partner_support`` -> ``partner support``).

Nothing here imports more than :mod:`re`; :mod:`difflib` is loaded on the first guess.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence

# --- control characters ---------------------------------------------------------------------

#: The C0 controls but tab, LF and CR; DEL and the C1 controls (NEL among them); the line and
#: paragraph separators; the BOM and the noncharacters U+FFFE and U+FFFF. A YAML reader refuses
#: them or reads them as line breaks, and no person types them on purpose.
CONTROLS = r"\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u2028\u2029\ufeff\ufffe\uffff"
#: The bidirectional embeddings, overrides and isolates, which reorder the text that follows.
BIDI_CONTROLS = r"\u202a-\u202e\u2066-\u2069"

#: A character that a record file may not hold anywhere (tab, LF and CR are allowed).
CONTROL_IN_FILE = re.compile(f"[{CONTROLS}]")
#: A character that a one-line value (a title, a ``--set`` value, a scalar tde writes) may not
#: hold as it is: the same and tab, LF and CR too.
CONTROL_IN_LINE = re.compile(rf"[\t\n\r{CONTROLS}]")
#: A character of record text that a terminal must not receive as it is: C0 and C1 controls,
#: DEL, and the bidirectional controls.
TERMINAL_UNSAFE = re.compile(rf"[\x00-\x1f\x7f-\x9f{BIDI_CONTROLS}]")
#: What a browser drops from a link before it reads the scheme: controls and spaces (so that
#: ``java\tscript:`` is still ``javascript:``).
URL_IGNORED = re.compile(r"[\x00-\x20\x7f]+")

#: The ASCII characters of :data:`CONTROL_IN_FILE`, as bytes, and those beyond U+00FF.
_FILE_CONTROL_ASCII = bytes([*range(0x09), 0x0B, 0x0C, *range(0x0E, 0x20), 0x7F])
_FILE_CONTROL_WIDE = "\u2028\u2029\ufeff\ufffe\uffff"


def first_control_in_file(raw: bytes, text: str) -> re.Match[str] | None:
    """Where ``text``, decoded from the UTF-8 ``raw``, first holds a character of
    :data:`CONTROL_IN_FILE`.

    The search tries every character of the file against the class; most files are cleared
    four times quicker without it: no ASCII control byte drops out of ``raw``, no 0xC2 starts
    the UTF-8 of a C1 control (or of U+00A0 to U+00BF, which leave the file to the search), and
    none of the five others is in ``text``.
    """
    if (
        len(raw.translate(None, _FILE_CONTROL_ASCII)) == len(raw)
        and b"\xc2" not in raw
        and not any(char in text for char in _FILE_CONTROL_WIDE)
    ):
        return None
    return CONTROL_IN_FILE.search(text)


# --- did you mean ---------------------------------------------------------------------------


def closest(word: str, candidates: Iterable[str], *, fold: bool = False) -> str | None:
    """The one of ``candidates`` that ``word`` most likely means, or None.

    A candidate at least 60 % alike (:func:`difflib.get_close_matches`); with ``fold``, first
    one that differs from ``word`` only by case.
    """
    choices = list(candidates)
    if fold:
        folded = {c.casefold(): c for c in choices}
        if word.casefold() in folded:
            return folded[word.casefold()]
    import difflib

    guess = difflib.get_close_matches(word, choices, n=1, cutoff=0.6)
    return guess[0] if guess else None


# --- words ----------------------------------------------------------------------------------


def join_words(items: Sequence[object], last: str = "and") -> str:
    """Words joined as a sentence joins them: ``a``, ``a and b``, ``a, b and c``."""
    words = [str(item) for item in items]
    if len(words) <= 2:
        return f" {last} ".join(words)
    return ", ".join(words[:-1]) + f" {last} " + words[-1]


def plural(count: int, word: str, many: str | None = None) -> str:
    """``1 error``, ``3 errors``; ``many`` where the plural is not ``word`` + s."""
    return f"{count} {word if count == 1 else (many or word + 's')}"


def humanize(name: str) -> str:
    """A name of the file format as words: ``partner_support`` -> ``partner support``."""
    return name.replace("_", " ")
