"""The redaction check: what consent withholds, what counts as public, and how it is matched."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from conftest import Run
from plan_project import SHOWN_FEEDBACK, copy_project, edit, set_body
from tdekit.publish import reading, redact
from tdekit.records.project import load_project

INTERVIEW = "interviews/drivers-union-steward.md"  # private
ANONYMOUS = "interviews/night-shift-rider.md"
PRIVATE_FEEDBACK = "feedback/driver-call.md"
SENTENCE = "We met the drivers at the depot on a Tuesday night."


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """The fixture project with plain names: a private interviewee and organisation, an anonymous
    interviewee, a private feedback source written "Name, Organization", a private body."""
    root = copy_project(tmp_path)
    edit(root, INTERVIEW, "interviewee: PRIVATE-NAME-MARKER Sam Okoro", "interviewee: Rosa Delgado")
    edit(root, INTERVIEW, "organization: PRIVATE-ORG-MARKER Drivers Local 12", "organization: Drivers Local Twelve")
    edit(root, ANONYMOUS, "interviewee: ANON-INTERVIEWEE-MARKER Jo Smith", "interviewee: Joanna Smith")
    edit(root, ANONYMOUS, "organization: ANON-ORG-MARKER Harbor Diner", "organization: Harbor Diner")
    edit(root, PRIVATE_FEEDBACK, "source: PRIVATE-SOURCE-MARKER a driver", "source: Dana Quist, Northside Tenants Union")
    set_body(root, PRIVATE_FEEDBACK, f"{SENTENCE} Short one.\n\n- A list item of six words here\n")
    return root


def hits(root: Path, text: str, fmt: str = "md") -> list[tuple[int, str, str]]:
    found = redact.find_withheld(load_project(root), reading.read(text, fmt))
    return [(h.line, h.value.record, h.value.field) for h in found]


@pytest.mark.parametrize(
    "text",
    [
        "Rosa Delgado",
        "ROSA DELGADO",
        "rosa\n   delgado",
        "Rosa\tDelgado",
        "**Rosa** _Delgado_",
        "Ro**sa** Delg*ado*",
        "[Rosa](https://example.org) Delgado",
        "Rosa&nbsp;Delgado",
        "Ro\u200bsa Delgado",
        "\uff32\uff4f\uff53\uff41 Delgado",
        "`Rosa` Delgado",
        "Rosa\\\nDelgado",
        "| Rosa | Delgado |\n| --- | --- |",
        "<!-- Rosa Delgado -->",
        "[x](https://example.org/ \"Rosa Delgado\")",
        "```\nRosa Delgado\n```",
    ],
)
def test_a_name_is_found_whatever_the_case_spacing_or_markdown(project: Path, text: str) -> None:
    """Case, runs of whitespace, markup between or inside words, entities and invisible characters
    do not hide a withheld name in Markdown; the hit is on the name's line."""
    line = 4 if text.startswith("```") else 3  # a fence's text starts on the line after it
    assert (line, INTERVIEW, "interviewee") in hits(project, f"# Plan\n\n{text}\n")


@pytest.mark.parametrize(
    "text",
    [
        "<p>Rosa Delgado</p>",
        "<p>Ro<b>sa</b> <em>Del</em>gado</p>",
        "<p>Rosa&#32;Delgado</p>",
        "<p>&#82;osa Delgado</p>",
        "<p>Rosa<span> </span>Delgado</p>",
        '<p title="Rosa Delgado">x</p>',
        "<!-- Rosa Delgado -->",
        '<style>p::after { content: "\\52 osa Delgado"; }</style>',
        "<td>Rosa</td><td>Delgado</td>",
    ],
)
def test_a_name_is_found_whatever_the_html(project: Path, text: str) -> None:
    """The same in HTML: tags inside words, character references, attributes, comments and style."""
    assert (3, INTERVIEW, "interviewee") in hits(project, f"<html>\n<body>\n{text}\n</body></html>\n", "html")


@pytest.mark.parametrize("text", ["Rosalind Delgado", "Rosa Delgadillo", "Rosa and Delgado", "Delgado Rosa"])
def test_only_whole_words_in_order_match(project: Path, text: str) -> None:
    """A name inside a longer word, or with a word between, is not the name."""
    assert hits(project, f"# Plan\n\n{text}\n") == []


def test_what_is_withheld(project: Path) -> None:
    """Private: names, organisation, sentences of six words or more; anonymous: the name only."""
    found = {(v.record, v.field, " ".join(v.words)) for v in redact.withheld(load_project(project))}
    assert (INTERVIEW, "interviewee", "rosa delgado") in found
    assert (INTERVIEW, "organization", "drivers local twelve") in found
    assert (ANONYMOUS, "interviewee", "joanna smith") in found
    assert not any(record == ANONYMOUS and field == "organization" for record, field, _ in found)
    assert (PRIVATE_FEEDBACK, "source", "dana quist northside tenants union") in found
    assert (PRIVATE_FEEDBACK, "source", "dana quist") in found
    assert (PRIVATE_FEEDBACK, "source", "northside tenants union") in found
    assert (PRIVATE_FEEDBACK, "body", "we met the drivers at the depot on a tuesday night") in found
    assert (PRIVATE_FEEDBACK, "body", "a list item of six words here") in found
    assert not any("short one" in words for _, _, words in found)


@pytest.mark.parametrize(
    ("text", "field"),
    [
        ("Joanna Smith", "interviewee"),
        ("Drivers Local Twelve", "organization"),
        ("Dana Quist", "source"),
        ("Northside Tenants Union", "source"),
        ("we met the drivers, at the depot, on a TUESDAY night", "body"),
    ],
)
def test_each_withheld_value_is_found(project: Path, text: str, field: str) -> None:
    assert [field] == [f for _, _, f in hits(project, f"Intro.\n\n> {text}\n")][:1]


def test_a_single_word_part_is_not_looked_for(project: Path) -> None:
    """Only comma-separated parts of two words or more are looked for alone: "Quist" is not."""
    assert hits(project, "Ask Quist about it.\n") == []


def test_public_knowledge_is_not_looked_for(project: Path) -> None:
    """A value the project also states publicly (a use case's partner) is not withheld; the rest of
    the same name still is."""
    edit(project, "usecases/arrivals-by-stop.md", "partners: [Lakeside Riders Council, Lakeside Transit Authority]",
         "partners: [Lakeside Riders Council, Northside Tenants Union, Drivers Local Twelve]")
    assert hits(project, "Northside Tenants Union and Drivers Local Twelve.\n") == []
    assert [f for _, _, f in hits(project, "Dana Quist.\n")] == ["source"]


@pytest.mark.parametrize(
    ("rel", "old", "new"),
    [
        ("tde.yaml", "organization: City of Lakeside, Open Data Program", "organization: Drivers Local Twelve"),
        ("plans/arrivals-plan.md", "  - who: Open Data Program\n", "  - who: Drivers Local Twelve\n"),
        ("interviews/riders-council.md", "organization: Lakeside Riders Council", "organization: Drivers Local Twelve"),
        ("feedback/fares-question.md", "source: Lakeside Legal Services", "source: Drivers Local Twelve"),
    ],
    ids=["settings", "plan-role", "public-interview", "public-feedback"],
)
def test_public_places(project: Path, rel: str, old: str, new: str) -> None:
    """tde.yaml, the plan's fields and public records' fields are public places."""
    assert hits(project, "Drivers Local Twelve\n")
    edit(project, rel, old, new)
    assert hits(project, "Drivers Local Twelve\n") == []


def test_bodies_and_anonymous_records_are_not_public_places(project: Path) -> None:
    """A name in the plan's body, or in an anonymous record's fields, is not made public by it."""
    set_body(project, "plans/arrivals-plan.md", "Thanks to Rosa Delgado.\n")
    edit(project, ANONYMOUS, "organization: Harbor Diner", "organization: Rosa Delgado")
    assert hits(project, "Rosa Delgado\n")


def test_a_record_whose_consent_cannot_be_read_counts_as_private(project: Path) -> None:
    """An interview whose consent is misspelt is withheld like a private one."""
    edit(project, "interviews/riders-council.md", "consent: public", "consent: publik")
    assert [f for _, r, f in hits(project, "Grace Lee\n")] == ["interviewee"]


def test_the_line_of_each_hit(project: Path) -> None:
    text = "# Plan\n\nIntro.\n\nMore.\n\nThanks,\nJoanna\nSmith.\n"
    assert hits(project, text) == [(8, ANONYMOUS, "interviewee")]


# --- the automaton -------------------------------------------------------------------------------


def naive(patterns: list[tuple[int, ...]], stream: list[int]) -> set[tuple[int, int]]:
    return {
        (number, start)
        for number, pattern in enumerate(patterns)
        for start in range(len(stream) - len(pattern) + 1)
        if tuple(stream[start : start + len(pattern)]) == pattern
    }


@settings(max_examples=300, deadline=None)
@given(
    patterns=st.lists(st.lists(st.integers(0, 3), min_size=1, max_size=5).map(tuple), min_size=1, max_size=8, unique=True),
    stream=st.lists(st.integers(-1, 3), max_size=60),
)
def test_the_automaton_finds_every_occurrence(patterns: list[tuple[int, ...]], stream: list[int]) -> None:
    """Aho-Corasick finds exactly what a naive search finds, overlaps and suffixes included."""
    assert set(redact.Automaton(patterns).search(stream)) == naive(patterns, stream)


# --- through the command line --------------------------------------------------------------------


@pytest.mark.parametrize("fmt", ["md", "html", "pdf", "docx"])
def test_a_public_body_quoting_a_private_one_is_refused(tde: Callable[..., Run], project: Path, fmt: str) -> None:
    """A sentence of a private feedback body, quoted in a public one, refuses the render (PDF and
    Word too: they are made from the checked HTML, so no browser or python-docx is needed)."""
    set_body(project, SHOWN_FEEDBACK[0], f"As someone told us: *{SENTENCE.upper()}*")
    out = project / f"plan.{fmt}"
    result = tde("render", "plan", "--format", fmt, "-o", str(out), cwd=project)
    assert result.exit_code == 1
    assert "holds a sentence of the body of feedback/driver-call.md, which its consent (private) withholds" in result.stderr
    assert not out.exists()


def test_a_clean_plan_renders(tde: Callable[..., Run], project: Path) -> None:
    """With nothing withheld in it, the plan renders in both formats."""
    for fmt in ("md", "html"):
        assert tde("render", "plan", "--format", fmt, cwd=project).exit_code == 0
