"""The text rules in one place (tdekit.text): each pattern matches what its former copies matched."""

from __future__ import annotations

import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tdekit.text import (
    CONTROL_IN_FILE,
    CONTROL_IN_LINE,
    TERMINAL_UNSAFE,
    URL_IGNORED,
    closest,
    first_control_in_file,
    humanize,
    join_words,
    plural,
)

#: The patterns as the reader, the writer and tde new, the terminal output and the Markdown
#: layer each spelt them before they shared one module.
FORMER = [
    (CONTROL_IN_FILE, r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u2028\u2029\ufeff\ufffe\uffff]"),
    (CONTROL_IN_LINE, r"[\x00-\x1f\x7f-\x9f\u2028\u2029\ufeff\ufffe\uffff]"),
    (TERMINAL_UNSAFE, r"[\x00-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]"),
    (URL_IGNORED, r"[\x00-\x20\x7f]+"),
]
#: Every character of the first planes that matters here, and the last ones of the BMP.
CHARACTERS = [chr(c) for c in [*range(0x3000), *range(0xFE00, 0x10000), 0x1F600, 0x10FFFF]]


@pytest.mark.parametrize(("pattern", "former"), FORMER, ids=["file", "line", "terminal", "url"])
def test_each_pattern_matches_exactly_what_its_former_copy_matched(
    pattern: re.Pattern[str], former: str
) -> None:
    """No character moved in or out of a rule when the rules moved into one module."""
    old = re.compile(former)
    assert [c for c in CHARACTERS if pattern.match(c)] == [c for c in CHARACTERS if old.match(c)]


@given(st.text(alphabet=st.characters(max_codepoint=0x3000) | st.sampled_from("\u2028\ufeff\uffff")))
def test_the_quick_control_check_agrees_with_the_pattern(text: str) -> None:
    """The byte-level shortcut of the reader finds a control character exactly when the pattern does."""
    found = first_control_in_file(text.encode("utf-8"), text)
    expected = CONTROL_IN_FILE.search(text)
    assert (found and found.start()) == (expected and expected.start())


def test_closest_guesses_like_difflib_and_folds_case_when_asked() -> None:
    """One guess at 60 % alike; with fold, a candidate equal but for case wins first."""
    assert closest("residnt", ["resident", "researcher"]) == "resident"
    assert closest("zzz", ["resident"]) is None
    assert closest("CAPACITY", ["capacity"]) is None
    assert closest("CAPACITY", ["capacity"], fold=True) == "capacity"


def test_words() -> None:
    """Lists read as a sentence, counts take their plural, names of the format read as words."""
    assert [join_words(x) for x in ([], ["a"], ["a", "b"], ["a", "b", "c"])] == ["", "a", "a and b", "a, b and c"]
    assert join_words(["a", "b", "c"], "or") == "a, b or c"
    assert [plural(1, "error"), plural(2, "error"), plural(2, "piece", "pieces")] == ["1 error", "2 errors", "2 pieces"]
    assert humanize("partner_support") == "partner support"
