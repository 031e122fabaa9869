"""Text left from a template (prompts, empty headings, placeholders, tde init's defaults) is a
warning, 'template-text', at its line: validate lists it, --strict fails on it, render shows it."""

from __future__ import annotations

import json
import re
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from conftest import EXAMPLES, REPO, Run
from tdekit.records import template_text
from tdekit.records.frontmatter import read_document

FEEDBACK_PROMPT = "What was said, as close to the words used as consent allows."
#: A project folder with no templates of its own: the shipped ones apply.
NOWHERE = REPO / "tests" / "no-such-project"


def problems(tde: Callable[..., Run], root: Path, *args: str) -> list[dict[str, object]]:
    result = tde("validate", "--format", "json", *args, cwd=root)
    assert result.exit_code in (0, 1), result
    found: list[dict[str, object]] = json.loads(result.stdout)
    return found


def template_text_at(tde: Callable[..., Run], root: Path) -> set[tuple[object, object]]:
    return {(p["path"], p["line"]) for p in problems(tde, root) if p["code"] == "template-text"}


@pytest.fixture
def fresh(tmp_path: Path, tde: Callable[..., Run]) -> Path:
    """A project as tde init and tde new leave it: a selected use case, its plan, one feedback."""
    root = tmp_path / "fresh"
    assert tde("init", str(root), "--no-git").exit_code == 0
    steps = [
        ["usecase", "Bus times", "--set", "status=selected",
         "--set", "scores={capacity: 3, interest: 4, partner_support: 3, data_gap: 4, impact: 4}"],
        ["plan", "Bus plan", "--set", "usecase=bus-times"],
        ["feedback", "A comment", "--set", "plan=bus-plan", "--set", "source=Rider",
         "--set", "consent=public"],
    ]
    for step in steps:
        assert tde("new", *step, cwd=root).exit_code == 0
    return root


def test_validate_warns_where_template_text_is_left(tde: Callable[..., Run], fresh: Path) -> None:
    """Each prompt, empty template heading and init default is one warning at its own line."""
    found = [p for p in problems(tde, fresh) if p["code"] == "template-text"]
    assert {p["severity"] for p in found} == {"warning"}
    where = {(p["path"], p["line"], p["column"]) for p in found}
    feedback = (fresh / "feedback" / "a-comment.md").read_text().splitlines()
    plan = (fresh / "plans" / "bus-plan.md").read_text().splitlines()
    settings_lines = (fresh / "tde.yaml").read_text().splitlines()
    assert ("feedback/a-comment.md", feedback.index(FEEDBACK_PROMPT) + 1, 1) in where
    summary = next(i for i, line in enumerate(plan) if "summary: To be drafted" in line)
    assert ("plans/bus-plan.md", summary + 1, plan[summary].index("To be drafted") + 1) in where
    for heading in ("## Why this use case", "## What we will do", "## How we will know it worked"):
        assert ("plans/bus-plan.md", plan.index(heading) + 1, 1) in where
    for key in ("organization", "focus_area"):
        line = next(i for i, text in enumerate(settings_lines) if text.startswith(f"{key}:"))
        assert ("tde.yaml", line + 1, len(key) + 3) in where
    usecase = [p for p in found if p["path"] == "usecases/bus-times.md"]
    assert [p["message"] for p in usecase] == [
        "the body still holds the template's prompt 'Who needs what data, in what form, from whom, to "
        "reach wh...'; replace it with the record's own words"
    ]


def test_template_text_is_a_warning_that_strict_fails_on(tde: Callable[..., Run], fresh: Path) -> None:
    """Without --strict, template text alone does not fail validate; with it, it does."""
    assert {p["severity"] for p in problems(tde, fresh)} == {"warning"}
    assert tde("validate", cwd=fresh).exit_code == 0
    assert tde("validate", "--strict", cwd=fresh).exit_code == 1


def fill_in(root: Path) -> None:
    """Replace the template text of the fresh project with a team's own words."""
    settings_file = root / "tde.yaml"
    text = settings_file.read_text()
    text = re.sub(r"^organization: .*$", "organization: City of Lakeside", text, flags=re.MULTILINE)
    text = re.sub(r"^focus_area: .*$", "focus_area: Getting to work by bus", text, flags=re.MULTILINE)
    settings_file.write_text(text)
    feedback = root / "feedback" / "a-comment.md"
    feedback.write_text(feedback.read_text().replace(FEEDBACK_PROMPT, "Print the times at the stop."))
    plan = root / "plans" / "bus-plan.md"
    body = "\n## Why this use case\n\nRiders asked.\n\n## What we will do\n\nPublish times.\n"
    plan.write_text(plan.read_text().split("\n---\n")[0].replace("To be drafted", "Publish bus times")
                    + "\n---\n" + body)
    usecase = root / "usecases" / "bus-times.md"
    usecase.write_text(usecase.read_text().split("\n---\n")[0] + "\n---\n\nRiders need bus times by stop.\n")


def test_a_filled_in_project_has_no_template_text(tde: Callable[..., Run], fresh: Path) -> None:
    """Once the team's own words replace the template's, nothing is left to warn about."""
    fill_in(fresh)
    assert template_text_at(tde, fresh) == set()
    assert tde("validate", "--strict", cwd=fresh).exit_code == 0


def test_render_shows_the_warnings_and_still_renders(tde: Callable[..., Run], fresh: Path) -> None:
    """tde render plan prints the template text it shows on stderr, and renders the plan anyway."""
    result = tde("render", "plan", cwd=fresh)
    assert result.exit_code == 0, result
    assert FEEDBACK_PROMPT in result.stdout and "Our open data program" in result.stdout
    lines = result.stderr.splitlines()
    assert lines[-1] == "The plan shows text left from a template in 7 places; replace it before circulating the plan."
    shown = {line.split(": warning: ")[0] for line in lines[:-1]}
    assert all(line.endswith("[template-text]") for line in lines[:-1])
    assert shown == {
        "feedback/a-comment.md:19:1", "plans/bus-plan.md:9:12", "plans/bus-plan.md:32:1",
        "plans/bus-plan.md:34:1", "plans/bus-plan.md:36:1", "tde.yaml:6:15", "tde.yaml:7:13",
    }
    # the use case's body is the team's working note, never rendered: not among them
    assert not any(line.startswith("usecases/") for line in lines)
    fill_in(fresh)
    again = tde("render", "plan", cwd=fresh)
    assert (again.exit_code, again.stderr) == (0, "")


def test_a_private_record_in_the_plan_is_not_named_by_render(tde: Callable[..., Run], fresh: Path) -> None:
    """Private feedback never appears in the plan, so its template text is validate's alone."""
    fill_in(fresh)
    assert tde("new", "feedback", "Private note", "--set", "plan=bus-plan", "--set", "source=X", cwd=fresh).exit_code == 0
    assert ("feedback/private-note.md", 19) in template_text_at(tde, fresh)
    result = tde("render", "plan", cwd=fresh)
    assert (result.exit_code, result.stderr) == (0, "")


@pytest.mark.usefixtures("story_day")
def test_the_example_has_no_template_text(tde: Callable[..., Run], tmp_path: Path) -> None:
    """The shipped example is a filled-in project: validate --strict finds nothing in it."""
    root = tmp_path / "example"
    shutil.copytree(EXAMPLES, root)
    assert template_text_at(tde, root) == set()
    result = tde("validate", "--strict", cwd=root)
    assert result.exit_code == 0, result


@pytest.mark.parametrize("kind", ["interview", "persona", "usecase", "plan", "feedback"])
def test_every_prompt_line_and_heading_of_a_template_is_found(
    tde: Callable[..., Run], empty_project: Path, kind: str
) -> None:
    """Read from the templates, not copied: a new record is warned at the first line of each
    paragraph of its body and at each heading with nothing under it, and nowhere else."""
    result = tde("new", kind, "Fresh", cwd=empty_project)
    assert result.exit_code == 0, result
    path = empty_project / result.stdout.strip()
    doc = read_document(path.read_bytes(), path.name)
    texts = [line.strip() for line in doc.body.splitlines()]
    expected = set()
    for index, text in enumerate(texts):
        if text.startswith("#"):
            under = [t for t in texts[index + 1 :] if t and t != "-"]
            if not under or under[0].startswith("#"):
                expected.add(doc.body_line + index)
        elif text and text != "-" and (index == 0 or not texts[index - 1] or texts[index - 1].startswith("#")):
            expected.add(doc.body_line + index)
    lines = {line for rel, line in template_text_at(tde, empty_project) if rel == result.stdout.strip()}
    assert {line for line in lines if line >= doc.body_line} == expected


def test_a_projects_own_template_has_its_own_prompts(tde: Callable[..., Run], empty_project: Path) -> None:
    """A prompt written in the project's own template is found too, also in a record read
    before the template was added (the cache is not trusted across a template change)."""
    record = empty_project / "personas" / "rider.md"
    record.write_text("---\nid: rider\ntitle: Rider\nrole: Commuter\n---\n\nDescribe one rider in a few lines.\n")
    assert template_text_at(tde, empty_project) >= {("tde.yaml", 6)}
    assert ("personas/rider.md", 7) not in template_text_at(tde, empty_project)
    own = empty_project / "templates" / "records"
    own.mkdir(parents=True)
    (own / "persona.md.j2").write_text(
        "---\nid: {{ id | yaml }}\ntitle: {{ title | yaml }}\nrole: Someone\n---\n\n"
        "Describe one rider in a few lines.\n"
    )
    assert ("personas/rider.md", 7) in template_text_at(tde, empty_project)


@pytest.mark.parametrize(
    ("front", "body", "expected"),
    [
        ("source: TBD", "Kept.\n", [(6, 9, "source holds a placeholder ('TBD')")]),
        ("source: Rider", "TODO: ask the clerk about the backlog.\n", [(11, 1, "the body holds a placeholder ('TODO')")]),
        ("source: Rider", "- FIXME check the date\n", [(11, 1, "the body holds a placeholder ('FIXME')")]),
        ("source: '...'", "Kept.\n", [(6, 9, "source holds a placeholder ('...')")]),
        ("source: Rider", "Our todo list and the TBDX form are prose.\n", []),
        ("source: Rider", "<!-- TODO: a note to ourselves, never shown -->\nKept.\n", []),
        ("source: Rider", "```\nTODO inside code is shown as typed\n```\n", []),
    ],
)
def test_placeholders_are_whole_words_in_capitals(
    tde: Callable[..., Run], empty_project: Path, front: str, body: str, expected: list[tuple[int, int, str]]
) -> None:
    """TBD, TBC, TODO and FIXME as words, or a value of only '...', are placeholders; in prose
    they are not, nor in HTML comments the plan leaves out."""
    (empty_project / "feedback" / "f.md").write_text(
        f"---\nid: f\ntitle: F\nplan: p\ndate: 2026-01-02\n{front}\nconsent: public\nchannel: email\n"
        f"disposition: open\n---\n{body}"
    )
    found = [
        (p["line"], p["column"], str(p["message"]).split(";")[0])
        for p in problems(tde, empty_project) if p["code"] == "template-text" and p["path"] == "feedback/f.md"
    ]
    assert found == expected


def test_a_heading_with_a_subsection_or_a_comment_only(tde: Callable[..., Run], empty_project: Path) -> None:
    """A template heading with a subsection under it is not empty; one with only a comment is."""
    body = (
        "\n## What we heard\n\n### From riders\n\nLate buses.\n\n"
        "## Data needs\n\n<!-- later -->\n- \n\n## Follow-up\n\nCall back.\n"
    )
    (empty_project / "interviews" / "i.md").write_text(
        "---\nid: i\ntitle: I\ndate: 2026-01-02\ninterviewee: A\nstakeholder_type: resident\n"
        f"tactic: interview\nconsent: public\n---\n{body}"
    )
    found = [(p["line"], p["message"]) for p in problems(tde, empty_project) if p["path"] == "interviews/i.md"]
    assert found == [(17, "the heading 'Data needs' from the template has nothing under it; fill the section in "
                          "or remove the heading")]


PROSE = st.lists(
    st.text(alphabet="abcdefghij klmnop QRSTU.,", min_size=1, max_size=40).filter(
        lambda line: line.strip() and not line.lstrip().startswith(("#", "-", "*", "+"))
        and not any(word in line for word in template_text.PLACEHOLDERS)
    ),
    max_size=8,
)


@settings(max_examples=60, deadline=None)
@given(PROSE, st.integers(min_value=0, max_value=8))
def test_a_prompt_is_found_wherever_it_is_left(lines: list[str], at: int) -> None:
    """Among any prose, a feedback body warns exactly once, at the line of the template's prompt."""
    root = NOWHERE
    plain = read_document(("---\nid: x\ntitle: X\n---\n" + "\n".join(lines) + "\n").encode(), "feedback/x.md")
    assert template_text.check_record(plain, "feedback", root) == []
    at = min(at, len(lines))
    mixed = [*lines[:at], FEEDBACK_PROMPT, *lines[at:]]
    doc = read_document(("---\nid: x\ntitle: X\n---\n" + "\n".join(mixed) + "\n").encode(), "feedback/x.md")
    found = template_text.check_record(doc, "feedback", root)
    assert [(p.line, p.code) for p in found] == [(doc.body_line + at, "template-text")]


BODY_LINES = st.sampled_from([
    "## Context", "## What we heard", "  ## Data needs", "### Follow-up", "## Follow-up ##", "# Notes",
    "### From riders", "", "- ", "-", "* ", "1.", "- [ ]", "Late buses.", "- Late buses", "##Context",
])


@settings(max_examples=300, deadline=None)
@given(st.lists(BODY_LINES, max_size=12))
def test_searching_for_empty_headings_agrees_with_reading_every_line(lines: list[str]) -> None:
    """The quick search for empty template headings finds what the line-by-line reading does."""
    doc = read_document(("---\nid: x\ntitle: X\n---\n" + "\n".join(lines)).encode(), "interviews/x.md")
    found = template_text.prompts(NOWHERE, "interview")
    heads = [head for head in found.heading_lines if head in doc.body]
    assert template_text._empty_headings(doc, found, heads) == template_text._scan_body(doc, found)
