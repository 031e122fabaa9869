"""tde tally import: counts from a CSV written into a group engagement's tallies."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from conftest import Run

SCOPE = "interviews/housing-data-scope-a-thon.md"
WORKSHOP = "interviews/hcd-partner-workshop.md"
MEETING = "interviews/northside-community-meeting.md"  # a group engagement without tallies


def _csv(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "tally.csv"
    path.write_text(text, encoding="utf-8")
    return path


def test_counts_are_written_and_every_other_byte_is_kept(
    example: Path, tmp_path: Path, tde: Callable[..., Run]
) -> None:
    path = example / SCOPE
    before = path.read_bytes()
    source = _csv(tmp_path, "usecase,votes\nwho-owns-my-building,20\n")
    result = tde("tally", "import", str(source), "--engagement", "housing-data-scope-a-thon", cwd=example)
    assert result.exit_code == 0, result
    after = path.read_bytes()
    assert after == before.replace(
        b"who-owns-my-building: {votes: 19, cards: 5}", b"who-owns-my-building: {votes: 20, cards: 5}"
    )
    again = tde("tally", "import", str(source), "--engagement", "housing-data-scope-a-thon", cwd=example)
    assert again.exit_code == 0, again
    assert "nothing changed" in again.stdout
    assert path.read_bytes() == after
    assert tde("validate", "--strict", cwd=example).exit_code == 0


def test_an_engagement_without_tallies_gets_them_before_the_closing_line(
    example: Path, tmp_path: Path, tde: Callable[..., Run]
) -> None:
    path = example / MEETING
    before = path.read_text(encoding="utf-8")
    assert "tallies" not in before and "tactic: public_consultation" in before
    source = _csv(tmp_path, "usecase,votes,cards\r\ncode-violations-by-address,7,2\r\nwho-owns-my-building,,3\r\n")
    result = tde("tally", "import", str(source), "--engagement", "northside-community-meeting", cwd=example)
    assert result.exit_code == 0, result
    head, sep, body = before.partition("\n---\n")
    expected = (
        head + "\ntallies:\n  code-violations-by-address: {votes: 7, cards: 2}\n"
        "  who-owns-my-building: {cards: 3}" + sep + body
    )
    assert path.read_text(encoding="utf-8") == expected
    assert tde("validate", "--strict", cwd=example).exit_code == 0


def test_bad_rows_are_refused_with_their_line_and_nothing_is_written(
    example: Path, tmp_path: Path, tde: Callable[..., Run]
) -> None:
    path = example / SCOPE
    before = path.read_bytes()
    source = _csv(tmp_path, (
        "usecase,votes,cards\n"
        "who-owns-my-building,20,1\n"
        "evictoin-filings-by-neighborhood,3,1\n"
        "code-violations-by-address,2.5,\n"
        "rental-assistance-reach,-1,\n"
        "who-owns-my-building,1,\n"
    ))
    result = tde("tally", "import", str(source), "--engagement", "housing-data-scope-a-thon", cwd=example)
    assert result.exit_code == 1, result
    err = result.stderr
    assert (
        f"{source}:3: 'evictoin-filings-by-neighborhood' is not a use case of this project; "
        "did you mean 'eviction-filings-by-neighborhood'?"
    ) in err
    assert f"{source}:4: votes for 'code-violations-by-address' must be a whole number of 0 or more, not '2.5'" in err
    assert f"{source}:5: votes for 'rental-assistance-reach' must be a whole number of 0 or more, not '-1'" in err
    assert f"{source}:6: 'who-owns-my-building' is given twice (first on line 2)" in err
    assert "nothing changed" in err
    assert "Traceback" not in err
    assert path.read_bytes() == before


def test_unknown_engagements_and_one_to_one_interviews_are_refused(
    example: Path, tmp_path: Path, tde: Callable[..., Run]
) -> None:
    source = _csv(tmp_path, "usecase,votes\nwho-owns-my-building,20\n")
    unknown = tde("tally", "import", str(source), "--engagement", "housing-data-scope-athon", cwd=example)
    assert unknown.exit_code == 1, unknown
    assert "did you mean 'housing-data-scope-a-thon'?" in unknown.stderr
    one = tde("tally", "import", str(source), "--engagement", "eastside-tenant", cwd=example)
    assert one.exit_code == 1, one
    assert "one-to-one interview" in one.stderr
    no_column = tde("tally", "import", str(_csv(tmp_path, "id,dots\nx,1\n")), "--engagement", "hcd-partner-workshop", cwd=example)
    assert no_column.exit_code == 2, no_column
    assert "no column usecase or votes" in no_column.stderr
    missing = tde("tally", "import", str(tmp_path / "nope.csv"), "--engagement", "hcd-partner-workshop", cwd=example)
    assert missing.exit_code == 2, missing


def test_hostile_cells_are_quoted_visibly(example: Path, tmp_path: Path, tde: Callable[..., Run]) -> None:
    source = _csv(tmp_path, "usecase,votes\n\"evil\u202e\x1b[2Jid\",1\nwho-owns-my-building,\"1\u202e\"\n")
    result = tde("tally", "import", str(source), "--engagement", "housing-data-scope-a-thon", cwd=example)
    assert result.exit_code == 1, result
    assert "\x1b" not in result.stderr and "\u202e" not in result.stderr
    assert "'evil\\u202e\\u001b[2Jid' is not a use case" in result.stderr
    assert "not '1\\u202e'" in result.stderr


def test_an_untouched_tally_written_wrongly_is_kept_for_validate_to_name(
    example: Path, tmp_path: Path, tde: Callable[..., Run]
) -> None:
    """A tally the CSV does not touch, written as a bare number, is left as it is (no exit 70)."""
    path = example / SCOPE
    path.write_text(
        path.read_text(encoding="utf-8").replace(
            "expiring-affordable-units: {votes: 6, cards: 3}", "expiring-affordable-units: 6"
        ),
        encoding="utf-8",
    )
    source = _csv(tmp_path, "usecase,votes\nwho-owns-my-building,20\n")
    result = tde("tally", "import", str(source), "--engagement", "housing-data-scope-a-thon", cwd=example)
    assert result.exit_code == 0, result
    text = path.read_text(encoding="utf-8")
    assert "expiring-affordable-units: 6" in text and "who-owns-my-building: {votes: 20, cards: 5}" in text
