"""Record text reaches the terminal safely: one row per record, no raw control characters.

Titles may hold line breaks, escape sequences and bidi overrides (YAML double-quoted escapes).
Every text path of ``tde`` shows them as spaces or visible escapes, never as they are.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

import pytest

from conftest import Run

#: What a terminal must never receive from record text (tde's own line ends excepted).
RAW = re.compile("[\x00-\x09\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")
#: tde's own colour codes.
SGR = re.compile("\x1b\\[[0-9;]*m")

HOSTILE = r"first line\nsecond\rline \e[31mred\a bell \u202Eevil end"
SHOWN = r"first line second line \x1b[31mred\x07 bell \u202eevil end"
#: Use case titles cannot hold ESC or BEL (they would not validate and so not be scored).
USECASE = r"Code\nviolations\r by\taddress \u202Eevil\u2066"
USECASE_SHOWN = r"Code violations by address \u202eevil\u2066"


def set_field(path: Path, field: str, value: str) -> None:
    """Give ``field`` a YAML double-quoted ``value`` (escapes and all)."""
    text = path.read_text(encoding="utf-8")
    text, count = re.subn(rf"^{field}: .*$", lambda _: f'{field}: "{value}"', text, count=1, flags=re.M)
    assert count == 1
    path.write_text(text, encoding="utf-8")


@pytest.fixture
def hostile(example: Path) -> Path:
    set_field(example / "personas" / "tenant-organizer.md", "title", HOSTILE)
    set_field(example / "usecases" / "code-violations-by-address.md", "title", USECASE)
    set_field(example / "tde.yaml", "name", r"Riverton\nhousing \u202Eevil")
    return example


def flat(text: str) -> str:
    return re.sub(r"\s+", " ", text)


@pytest.mark.parametrize("args", [["list"], ["list", "persona"]])
def test_titles_stay_on_their_row_in_list(
    args: list[str], hostile: Path, tde: Callable[..., Run], monkeypatch: pytest.MonkeyPatch
) -> None:
    """A title with a line break, a carriage return and escapes stays on its record's row."""
    monkeypatch.setenv("COLUMNS", "200")
    run = tde(*args, cwd=hostile)
    assert run.exit_code == 0, run
    assert not RAW.search(run.stdout), run.stdout
    row = next(line for line in run.stdout.splitlines() if " tenant-organizer " in f" {line} ")
    assert SHOWN in row
    monkeypatch.setenv("COLUMNS", "80")
    run = tde(*args, cwd=hostile)
    assert not RAW.search(run.stdout), run.stdout
    # every line that starts a row starts with a kind or an id, none with "second line"
    ids = {p.stem for p in hostile.glob("*/*.md")}
    rule = next(i for i, line in enumerate(run.stdout.splitlines()) if line.startswith("─"))
    starts = [line.split()[0] for line in run.stdout.splitlines()[rule + 1 :] if not line.startswith(" ")]
    assert starts and all(word in ids or word in {"signal", "interview", "persona", "usecase", "plan", "feedback", "update"}
                          for word in starts), starts


def test_tde_colour_still_works_around_escaped_titles(
    hostile: Path, tde: Callable[..., Run], monkeypatch: pytest.MonkeyPatch
) -> None:
    """In colour, the only escape codes are tde's own; the record's show as text."""
    monkeypatch.setenv("COLUMNS", "200")
    plain = tde("list", "persona", cwd=hostile).stdout
    monkeypatch.delenv("NO_COLOR", raising=False)
    monkeypatch.setenv("FORCE_COLOR", "1")
    coloured = tde("list", "persona", cwd=hostile).stdout
    assert SGR.search(coloured)
    assert not RAW.search(SGR.sub("", coloured))
    assert SGR.sub("", coloured) == plain


@pytest.mark.parametrize("args", [["score"], ["score", "--explain"]])
def test_use_case_titles_are_safe_in_score(args: list[str], hostile: Path, tde: Callable[..., Run]) -> None:
    run = tde(*args, cwd=hostile)
    assert run.exit_code == 0, run
    assert not RAW.search(run.stdout), run.stdout
    if "--explain" in args:
        assert f"{USECASE_SHOWN} (code-violations-by-address)" in flat(run.stdout)


def test_the_project_name_is_safe_in_status(hostile: Path, tde: Callable[..., Run]) -> None:
    run = tde("status", cwd=hostile)
    assert run.exit_code == 0, run
    assert not RAW.search(run.stdout), run.stdout
    assert run.stdout.splitlines()[0].split() == ["Riverton", "housing", r"\u202eevil"]


@pytest.mark.parametrize("columns", ["20", "30", "40", "50"])
@pytest.mark.parametrize("args", [["score"], ["score", "--explain"], ["list"], ["status"]])
def test_narrow_terminals_never_crash(
    columns: str, args: list[str], example: Path, tde: Callable[..., Run], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("COLUMNS", columns)
    run = tde(*args, cwd=example)
    assert run.exit_code == 0, run
    assert run.stdout.strip()
