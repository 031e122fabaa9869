"""Control characters are refused wherever they are, and the characters next to them are not.

The reader clears most files of control characters without trying each character against the
class (by the bytes of their UTF-8); these cases hold one character of each kind it tells apart,
in files that are otherwise clean and not ASCII, so that nothing but that character can send the
file to the closer look.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from conftest import Run
from test_validate_corpus import lay_out, run_validate

BASE_RECORD = Path(__file__).resolve().parent / "corpus" / "_base" / "interviews" / "rider-interview.md"

#: One of each kind: ASCII controls, C1 controls (NEL among them), and those beyond U+00FF.
REFUSED = ["\x01", "\x0b", "\x0c", "\x1b", "\x7f", "\x80", "\x85", "\x9f",
           "\u2028", "\u2029", "\ufeff", "\ufffe", "\uffff"]
#: Their neighbours, and characters whose UTF-8 shares a first byte with them: all fine.
ACCEPTED = ["\xa0", "\xbf", "\xa9", "\u2027", "\u202f", "\u201c", "\ufefc", "\ufffd", "\U0001f68c"]

BODY_LINE = 14  # the base record's front matter takes 12 lines, then a blank line
BEFORE = "Notes \u201cof\u201d the"


def record(name: str, char: str, *, in_front_matter: bool) -> bytes:
    """The base interview as ``name``, with ``char`` in its interviewee or else in its body."""
    text = BASE_RECORD.read_text(encoding="utf-8").replace("rider-interview", name, 1)
    text = text.replace("Notes of the", BEFORE + ("" if in_front_matter else char), 1)
    if in_front_matter:
        text = text.replace("interviewee: Rider,", f"interviewee: Rider{char},", 1)
    return text.encode("utf-8")


def test_each_control_character_is_refused_and_its_neighbours_are_not(
    tde: Callable[..., Run], tmp_path: Path
) -> None:
    files: dict[str, bytes] = {}
    expected: list[str] = []
    for index, char in enumerate(REFUSED):
        for place, in_front_matter in (("body", False), ("value", True)):
            name = f"control-{index:02d}-{place}"
            files[f"interviews/{name}.md"] = record(name, char, in_front_matter=in_front_matter)
            line, column = (5, len("interviewee: Rider") + 1) if in_front_matter else (
                BODY_LINE, len(BEFORE) + 1)
            expected.append(
                f"interviews/{name}.md:{line}:{column}: error: the file contains the control "
                f"character U+{ord(char):04X}; remove it [control-character]"
            )
    for index, char in enumerate(ACCEPTED):
        for place, in_front_matter in (("body", False), ("value", True)):
            name = f"fine-{index:02d}-{place}"
            files[f"interviews/{name}.md"] = record(name, char, in_front_matter=in_front_matter)

    result = run_validate(tde, lay_out(tmp_path, files))

    assert sorted(result.stdout.splitlines()) == sorted(expected)
    assert result.exit_code == 1
