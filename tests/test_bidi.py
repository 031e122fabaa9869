"""Invisible bidi controls: validate points at them, render never shows them, tde new refuses them.

Reordering controls (U+202A-U+202E, U+2066-U+2069) are errors anywhere; marks (U+200E, U+200F,
U+061C) are errors in ids, references, choices and names, and allowed in free text.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest

from conftest import Run
from test_cache import edit

USECASE = "usecases/code-violations-by-address.md"  # shortlisted; not the plan's use case
RLO, RLI, PDI, RLM, LRM = "\u202e", "\u2067", "\u2069", "\u200f", "\u200e"
REORDERS = "which makes the text around it display in another order than it is written in; remove it"
NOT_PLAIN = "so it is not the name, id or choice it looks like; remove it"


def where(text: str, char: str) -> tuple[int, int]:
    """1-based line and column of the first ``char`` in ``text``."""
    at = text.index(char)
    return text.count("\n", 0, at) + 1, at - (text.rfind("\n", 0, at) + 1) + 1


CASES = [
    # (file, old, new, what the problem says after the path)
    (USECASE, "status: shortlisted", f"status: shortlisted{RLM}",
     f"status holds the invisible character U+200F (RIGHT-TO-LEFT MARK), {NOT_PLAIN}"),
    (USECASE, "id: code-violations", f"id: code-{RLO}violations",
     f"id holds the invisible character U+202E (RIGHT-TO-LEFT OVERRIDE), {NOT_PLAIN}"),
    (USECASE, "  - renter-facing-eviction", f"  - renter-facing-eviction{LRM}",
     f"personas[0] holds the invisible character U+200E (LEFT-TO-RIGHT MARK), {NOT_PLAIN}"),
    (USECASE, "tags:", f"tags{RLM}:",
     f"the field name holds the invisible character U+200F (RIGHT-TO-LEFT MARK), {NOT_PLAIN}"),
    (USECASE, "title: Code violation history by building",
     f"title: Code violation history by {RLO}building",
     f"title holds the invisible control U+202E (RIGHT-TO-LEFT OVERRIDE), {REORDERS}"),
    (USECASE, "    so_that: I can avoid units", f"    so_that: I can avoid {RLI}units{PDI}",
     f"user_stories[0].so_that holds the invisible control U+2067 (RIGHT-TO-LEFT ISOLATE), {REORDERS}"),
    (USECASE, "a building's history of serious", f"a building's {RLO}history of serious",
     f"the text holds the invisible control U+202E (RIGHT-TO-LEFT OVERRIDE), {REORDERS}"),
    ("tde.yaml", "# Step 1 (Find): we picked", f"# Step 1 (Find): {RLO}we picked",
     f"a comment holds the invisible control U+202E (RIGHT-TO-LEFT OVERRIDE), {REORDERS}"),
    ("tde.yaml", "focus_area: Housing stability", f"focus_area: Housing {RLI}stability",
     f"focus_area holds the invisible control U+2067 (RIGHT-TO-LEFT ISOLATE), {REORDERS}"),
]


@pytest.mark.parametrize(("rel", "old", "new", "message"), CASES,
                         ids=["choice", "id", "reference", "field name", "title", "nested text",
                              "body", "comment", "settings"])
def test_bidi_control_is_an_error_at_its_place(
    tde: Callable[..., Run], example: Path, rel: str, old: str, new: str, message: str
) -> None:
    """Validate reports the character at its line and column, once, as a bidi-control error."""
    edit(example / rel, old.encode(), new.encode())
    text = (example / rel).read_text(encoding="utf-8")
    char = next(c for c in new if c in (RLO, RLI, RLM, LRM))
    line, column = where(text, char)
    result = tde("validate", "--format", "json", cwd=example)
    problems = json.loads(result.stdout)
    assert {"path": rel, "line": line, "column": column, "severity": "error", "code": "bidi-control",
            "message": message} in problems, problems
    assert result.exit_code == 1
    here = [p for p in problems if p["path"] == rel]
    assert [p["code"] for p in here if p["line"] == line] == ["bidi-control"]  # not also invalid-choice


def test_escaped_bidi_control_is_found_too(tde: Callable[..., Run], example: Path) -> None:
    """A control written as a YAML escape ("\\u202E") is reported at its value."""
    edit(example / USECASE, b"title: Code violation history by building, before signing a lease",
         b'title: "Code violation \\u202Ehistory"')
    result = tde("validate", "--format", "json", cwd=example)
    assert result.exit_code == 1
    assert json.loads(result.stdout) == [
        {"path": USECASE, "line": 3, "column": 8, "severity": "error", "code": "bidi-control",
         "message": f"title holds the invisible control U+202E (RIGHT-TO-LEFT OVERRIDE), {REORDERS}"},
    ]


def test_marks_in_free_text_are_fine(tde: Callable[..., Run], example: Path) -> None:
    """Marks place brackets and full stops in right-to-left writing: no problem in titles, names or the body."""
    edit(example / USECASE, b"title: Code violation history", f"title: Code violation {RLM}(history){RLM}".encode())
    edit(example / USECASE, b"## The need", f"## The need {LRM}".encode())
    result = tde("validate", "--strict", cwd=example)
    assert (result.exit_code, result.stdout) == (0, "")


def test_render_never_emits_reordering_controls(tde: Callable[..., Run], example: Path) -> None:
    """A use case the plan only lists, and a project template, cannot put a reordering control in the output; marks stay."""
    edit(example / USECASE, b"title: Code violation history by building",
         f"title: Code {RLM}violation{RLM} history by {RLO}building".encode())
    folder = example / "templates" / "render"
    folder.mkdir(parents=True)
    shipped = Path(__file__).resolve().parent.parent / "templates" / "render"
    (folder / "plan.md.j2").write_text(
        (shipped / "plan.md.j2").read_text(encoding="utf-8") + f"\nEnd {RLI}of{PDI} plan\n", encoding="utf-8"
    )
    assert tde("validate", cwd=example).exit_code == 1  # the use case is wrong, but not the plan's
    for fmt in ("md", "html"):
        result = tde("render", "plan", "--format", fmt, cwd=example)
        assert result.exit_code == 0, result
        assert f"Code {RLM}violation{RLM} history by building" in result.stdout
        assert not any(c in result.stdout for c in (RLO, RLI, PDI, "\u202a", "\u202b", "\u202c", "\u202d"))
    assert "End of plan" in tde("render", "plan", cwd=example).stdout


@pytest.mark.parametrize("args", [("new", "persona", f"Night {RLO}rider"),
                                  ("new", "persona", "Night rider", "--set", f"role=Rides {RLI}late")])
def test_new_refuses_a_reordering_control(tde: Callable[..., Run], example: Path, args: tuple[str, ...]) -> None:
    """tde new does not write a title or value that would display reordered."""
    result = tde(*args, cwd=example)
    assert result.exit_code == 2
    assert "control character" in result.stderr
    assert not (example / "personas" / "night-rider.md").exists()
