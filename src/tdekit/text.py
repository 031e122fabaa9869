"""Rules and words about text, each in one place.

* **Control characters**: which characters a record file, a one-line value, a terminal line
  or a link may not hold, as compiled patterns that the reader, the writer, the scaffolding,
  the output and the Markdown layer share:

  - *Controls a file may not hold* (:data:`CONTROL_IN_FILE`): C0 controls other than tab,
    line feed and carriage return, DEL, the C1 controls, the Unicode line and paragraph
    separators, a byte order mark inside the text and the non-characters U+FFFE and U+FFFF.
    libyaml refuses them or reads them as line breaks; a record that holds one is not read.
  - *Controls a one-line value may not hold* (:data:`CONTROL_IN_LINE`): the same, and tab,
    line feed and carriage return. A title, ``--name`` or ``--set`` value, or a value written
    back to YAML (where they become ``\\uXXXX`` escapes).
  - *Bidi controls that reorder text* (:data:`BIDI_CONTROLS`): the embeddings, overrides and
    pop U+202A to U+202E, and the isolates U+2066 to U+2069. Invisible, they make text display
    in another order than it is written in (U+202E shows what follows it backwards), and one
    left open carries on into whatever text follows it on the page or the terminal.
  - *Bidi marks* (:data:`BIDI_MARKS`): U+200E LEFT-TO-RIGHT MARK, U+200F RIGHT-TO-LEFT MARK
    and U+061C ARABIC LETTER MARK. They reorder nothing by themselves; they decide on which
    side a neutral sign (a bracket, a full stop, a number beside Arabic or Hebrew words) is
    shown, which is what writers of right-to-left text use them for.

  Where each applies: the reader (:mod:`tdekit.records.frontmatter`) refuses file controls,
  :mod:`tdekit.records.bidi` reports bidi controls in records (``bidi-control``), what tde
  writes (:mod:`tdekit.scaffold`, ``--set``) refuses :data:`LINE_UNSAFE`, :mod:`tdekit.output`
  shows :data:`TERMINAL_UNSAFE` as escapes, and :func:`without_reordering` takes the
  reordering ones out of a rendered document.
* **Did you mean**: :func:`closest`, the one guess at what a mistyped name meant.
* **Words**: :func:`join_words` (``a, b and c``), :func:`plural` (``3 errors``) and
  :func:`humanize` (``partner_support`` -> ``partner support``).

Nothing here imports more than :mod:`re` and :mod:`unicodedata`; :mod:`difflib` is loaded on
the first guess.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Sequence

# --- control characters ---------------------------------------------------------------------

#: The C0 controls but tab, LF and CR; DEL and the C1 controls (NEL among them); the line and
#: paragraph separators; the BOM and the noncharacters U+FFFE and U+FFFF. A YAML reader refuses
#: them or reads them as line breaks, and no person types them on purpose.
CONTROLS = r"\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u2028\u2029\ufeff\ufffe\uffff"
#: The bidirectional embeddings, overrides, pop and isolates, which reorder the text that follows.
BIDI_CONTROLS = r"\u202a-\u202e\u2066-\u2069"
#: Bidi marks: they only place neutral signs beside right-to-left text.
BIDI_MARKS = "\u200e\u200f\u061c"
#: Every bidi control, one by one (for quick ``in`` checks).
BIDI_ALL = "".join(map(chr, (*range(0x202A, 0x202F), *range(0x2066, 0x206A)))) + BIDI_MARKS

#: A character that a record file may not hold anywhere (tab, LF and CR are allowed).
CONTROL_IN_FILE = re.compile(f"[{CONTROLS}]")
#: A character that a one-line value (a title, a ``--set`` value, a scalar tde writes) may not
#: hold as it is: the same and tab, LF and CR too.
CONTROL_IN_LINE = re.compile(rf"[\t\n\r{CONTROLS}]")
#: What a one-line value that tde writes may not hold: line controls and reordering bidi controls.
LINE_UNSAFE = re.compile(rf"[\t\n\r{CONTROLS}{BIDI_CONTROLS}]")
#: Any bidi control, reordering or mark.
BIDI = re.compile(f"[{BIDI_CONTROLS}{BIDI_MARKS}]")
#: The bidi controls that reorder text.
REORDERING = re.compile(f"[{BIDI_CONTROLS}]")
#: A character of record text that a terminal must not receive as it is: C0 and C1 controls,
#: DEL, and the bidirectional controls.
TERMINAL_UNSAFE = re.compile(rf"[\x00-\x1f\x7f-\x9f{BIDI_CONTROLS}]")


#: Line breaks and tabs inside a value read as the space they stand for.
_AS_SPACE = {"\n": " ", "\t": " ", "\r": " "}


def _escaped(match: re.Match[str]) -> str:
    char = match.group()
    if char in _AS_SPACE:
        return _AS_SPACE[char]
    code = ord(char)
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def terminal_safe(text: str) -> str:
    """Text made safe to show in a terminal, one line of it.

    Line breaks and tabs become spaces (a value stays on its row); every other control
    character, DEL and bidi override is shown as its escape, ``\\x1b`` or ``\\u202e``, so it
    can neither restyle the terminal, move the cursor nor reorder the line.
    """
    if text.isprintable():  # the usual case, checked in C
        return text
    return TERMINAL_UNSAFE.sub(_escaped, text)
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


def has_bidi(text: str) -> bool:
    """True when ``text`` holds any bidi control (quick: most text holds none of these)."""
    return any(char in text for char in BIDI_ALL)


def describe(char: str) -> str:
    """``U+202E (RIGHT-TO-LEFT OVERRIDE)``."""
    return f"U+{ord(char):04X} ({unicodedata.name(char, 'unnamed')})"


def without_reordering(text: str) -> str:
    """``text`` without the bidi controls that reorder it (marks are kept)."""
    return REORDERING.sub("", text) if has_bidi(text) else text


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
