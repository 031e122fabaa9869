"""Which characters tde refuses, flags or neutralises, defined once for every module.

* **Controls a file may not hold** (:data:`FILE_CONTROLS`): C0 controls other than tab, line
  feed and carriage return, DEL, the C1 controls, the Unicode line and paragraph separators,
  a byte order mark inside the text and the non-characters U+FFFE and U+FFFF. libyaml refuses
  them or reads them as line breaks; a record that holds one is not read.
* **Controls a one-line value may not hold** (:data:`LINE_CONTROLS`): the same, and tab, line
  feed and carriage return. A title, ``--name`` or ``--set`` value, or a value written back to
  YAML (where they become ``\\uXXXX`` escapes).
* **Bidi controls that reorder text** (:data:`BIDI_REORDERING`): the embeddings, overrides and
  pop U+202A to U+202E, and the isolates U+2066 to U+2069. Invisible, they make text display in
  another order than it is written in (U+202E shows what follows it backwards), and one left
  open carries on into whatever text follows it on the page or the terminal.
* **Bidi marks** (:data:`BIDI_MARKS`): U+200E LEFT-TO-RIGHT MARK, U+200F RIGHT-TO-LEFT MARK and
  U+061C ARABIC LETTER MARK. They reorder nothing by themselves; they decide on which side a
  neutral sign (a bracket, a full stop, a number beside Arabic or Hebrew words) is shown, which
  is what writers of right-to-left text use them for.

Where each applies: :mod:`tdekit.frontmatter` refuses file controls, :mod:`tdekit.bidi`
reports bidi controls in records (``bidi-control``), :mod:`tdekit.scaffold` refuses line
controls and reordering bidi controls in what it writes, :mod:`tdekit.output` shows terminal
controls as escapes, and :func:`without_reordering` takes the reordering ones out of a
rendered document.
"""

from __future__ import annotations

import re
import unicodedata

#: Controls a file may not hold (tab, line feed and carriage return are allowed).
FILE_CONTROLS = "\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u2028\u2029\ufeff\ufffe\uffff"
#: The ASCII ones among them as bytes, and the ones beyond U+00FF: for quick checks.
FILE_CONTROLS_ASCII = bytes([*range(0x09), 0x0B, 0x0C, *range(0x0E, 0x20), 0x7F])
FILE_CONTROLS_WIDE = "\u2028\u2029\ufeff\ufffe\uffff"
#: Controls a one-line value may not hold: the file controls and tab, line feed, carriage return.
LINE_CONTROLS = "\x00-\x1f\x7f-\x9f\u2028\u2029\ufeff\ufffe\uffff"
#: Bidi embeddings, overrides, pop and isolates: they reorder the text that follows them.
BIDI_REORDERING = "\u202a-\u202e\u2066-\u2069"
#: Bidi marks: they only place neutral signs beside right-to-left text.
BIDI_MARKS = "\u200e\u200f\u061c"
#: Every bidi control, one by one (for quick ``in`` checks).
BIDI_ALL = "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\u200e\u200f\u061c"
#: What a terminal must not receive as it is: C0 and C1 controls, DEL, reordering bidi controls.
TERMINAL_UNSAFE = "\x00-\x1f\x7f-\x9f" + BIDI_REORDERING

FILE_CONTROL = re.compile(f"[{FILE_CONTROLS}]")
LINE_CONTROL = re.compile(f"[{LINE_CONTROLS}]")
#: What a one-line value that tde writes may not hold: line controls and reordering bidi controls.
LINE_UNSAFE = re.compile(f"[{LINE_CONTROLS}{BIDI_REORDERING}]")
BIDI = re.compile(f"[{BIDI_REORDERING}{BIDI_MARKS}]")
REORDERING = re.compile(f"[{BIDI_REORDERING}]")
TERMINAL = re.compile(f"[{TERMINAL_UNSAFE}]")


def has_bidi(text: str) -> bool:
    """True when ``text`` holds any bidi control (quick: most text holds none of these)."""
    return any(char in text for char in BIDI_ALL)


def is_reordering(char: str) -> bool:
    return REORDERING.fullmatch(char) is not None


def describe(char: str) -> str:
    """``U+202E (RIGHT-TO-LEFT OVERRIDE)``."""
    return f"U+{ord(char):04X} ({unicodedata.name(char, 'unnamed')})"


def without_reordering(text: str) -> str:
    """``text`` without the bidi controls that reorder it (marks are kept)."""
    return REORDERING.sub("", text) if has_bidi(text) else text
