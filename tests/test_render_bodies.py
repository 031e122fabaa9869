"""Record bodies in a rendered plan: comments never shown, each body on its own, never raw.

Each case is one of issue 10's, run through ``tde render plan`` on a real project folder.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import Run
from plan_project import (
    SHOWN_FEEDBACK,
    copy_project,
    headings,
    live_html,
    live_markdown,
    markdown_tokens,
    set_body,
)

FORMATS = ("md", "html")
NOTE = "Sam asked us not to cite this"

#: Comments in the forms that leaked, each holding the note, and the text around it that shows.
COMMENTS = {
    "fence": (f"<!-- {NOTE}\n```\nnot code\n```\n-->\n\nShown after.", "Shown after."),
    "blank-then-indented": (f"<!-- {NOTE}\n\n    an indented line -->\n\nShown after.", "Shown after."),
    "backquoted-close": (f"A note: <!-- {NOTE} `-->` -->\n\nShown after.", "Shown after."),
    "bang-close": (f"Shown before.\n\n<!-- {NOTE} --!>\n\nand all after it", "Shown before."),
    "inline-bang-close": (f"Shown before. <!-- {NOTE} --!> and all after it", "Shown before."),
    "never-closes": (f"Shown before.\n\n<!-- {NOTE}\n\nand the rest of the body", "Shown before."),
    "never-closes-inline": (f"Shown before. <!-- {NOTE}", "Shown before."),
    "in-a-list": (f"- one\n- <!-- {NOTE}\n  ```\n  x\n  ```\n  -->\n\nShown after.", "Shown after."),
    "in-a-quote": (f"> <!-- {NOTE}\n> ```\n> x\n> ```\n> -->\n\nShown after.", "Shown after."),
    "empty-then-note": (f"<!--> Shown after. <!-- {NOTE} -->", "Shown after."),
}


@pytest.fixture
def project(tmp_path: Path) -> Path:
    return copy_project(tmp_path)


@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize("case", list(COMMENTS))
def test_a_comment_never_reaches_the_plan(tde: Callable[..., Run], project: Path, fmt: str, case: str) -> None:
    """A team note in an HTML comment, in any of the forms that leaked, is in neither form; the text around it is."""
    body, shown = COMMENTS[case]
    set_body(project, "plans/arrivals-plan.md", body)
    set_body(project, SHOWN_FEEDBACK[0], body)
    result = tde("render", "plan", "--format", fmt, cwd=project)
    assert result.exit_code == 0, result
    assert "Sam asked" not in result.stdout
    assert "cite this" not in result.stdout
    assert result.stdout.count(shown) == 2


def test_a_body_that_failed_the_old_final_check_is_never_printed_raw(tde: Callable[..., Run], project: Path) -> None:
    """A body the Markdown form could not make safe used to be printed as typed, comments and all."""
    set_body(project, "plans/arrivals-plan.md", f"<!-- {NOTE} -->\n\nA picture: \\\\![x](https://a.example/c.png)\n")
    result = tde("render", "plan", "--format", "md", cwd=project)
    assert result.exit_code == 0, result
    assert NOTE not in result.stdout
    assert "A picture:" in result.stdout


HOSTILE_CODE = """\
```
<img src=x onerror=alert(1)>
<script>alert(2)</script>
[click](javascript:alert(3))
```
"""


def test_an_unclosed_fence_swallows_nothing_after_its_body(tde: Callable[..., Run], project: Path) -> None:
    """A fence left open at the end of one feedback body ends with it: the next item's heading, byline and
    response stay what they are, and its code stays code."""
    set_body(project, SHOWN_FEEDBACK[0], "Before the fence.\n\n```\nleft open\n")
    set_body(project, SHOWN_FEEDBACK[1], HOSTILE_CODE)
    result = tde("render", "plan", "--format", "md", cwd=project)
    assert result.exit_code == 0, result
    assert live_markdown(result.stdout) == []
    assert "F2 Put arrival times on a sign at the stop" in headings(result.stdout)
    assert "F3 Will the text lookup cost riders anything?" in headings(result.stdout)
    code = [t.content for t in markdown_tokens(result.stdout) if t.type == "fence"]  # type: ignore[attr-defined]
    assert code == ["left open\n", "<img src=x onerror=alert(1)>\n<script>alert(2)</script>\n[click](javascript:alert(3))\n"]


@pytest.mark.parametrize("opener", ["```", "~~~", "````", "> ```", "- ```", "<div>", "<!--", "<script>", "    code", "| a |\n| - |\n| b"])
def test_nothing_left_open_in_a_body_reaches_the_next_item(tde: Callable[..., Run], project: Path, opener: str) -> None:
    """Whatever a body leaves open at its end, the next feedback item's heading is still a heading."""
    set_body(project, SHOWN_FEEDBACK[0], f"Text.\n\n{opener}\n")
    set_body(project, SHOWN_FEEDBACK[1], HOSTILE_CODE)
    result = tde("render", "plan", "--format", "md", cwd=project)
    assert result.exit_code == 0, result
    assert live_markdown(result.stdout) == []
    assert "F2 Put arrival times on a sign at the stop" in headings(result.stdout)


def test_a_reference_definition_serves_no_other_body(tde: Callable[..., Run], project: Path) -> None:
    """A definition hidden in a blockquote of one body gives no link to another body's [text][ref]."""
    set_body(project, SHOWN_FEEDBACK[0], "> Quoted.\n>\n> [ref]: javascript:alert(1)\n> [other]: https://evil.example/x\n")
    set_body(project, SHOWN_FEEDBACK[1], "See [this][ref] and [that][other].\n")
    for fmt in FORMATS:
        result = tde("render", "plan", "--format", fmt, cwd=project)
        assert result.exit_code == 0, result
        assert "evil.example" not in result.stdout.split("See ")[1]
        if fmt == "md":
            assert live_markdown(result.stdout) == []
            links = [t.attrGet("href") for t in markdown_tokens(result.stdout) if t.type == "link_open"]  # type: ignore[attr-defined]
            assert not any("javascript" in str(h) or "evil.example" in str(h) for h in links), links
        else:
            assert live_html(result.stdout) == []


def test_a_definition_still_serves_its_own_body(tde: Callable[..., Run], project: Path) -> None:
    """Within one body, [text][ref] and its definition still make a link."""
    set_body(project, SHOWN_FEEDBACK[0], "See [the portal][p].\n\n[p]: https://example.org/portal\n")
    result = tde("render", "plan", "--format", "md", cwd=project)
    assert "[the portal](https://example.org/portal)" in result.stdout


def test_a_megabyte_of_comment_openers_renders(tde: Callable[..., Run], project: Path) -> None:
    """A 1 MB body of '<!--' (once quadratic: 40,000 of them took 23 s) renders, in both forms."""
    set_body(project, "plans/arrivals-plan.md", "<!--" * 250_000)
    for fmt in FORMATS:
        result = tde("render", "plan", "--format", fmt, cwd=project)
        assert result.exit_code == 0, result
    set_body(project, "plans/arrivals-plan.md", "Shown. " + "<!--" * 250_000)
    result = tde("render", "plan", cwd=project)
    assert result.exit_code == 0, result
    assert "Shown." in result.stdout


# --- random combinations -----------------------------------------------------------------------

PIECES = st.sampled_from(
    [
        "<", ">", "&", "\"", "'", "`", "```", "~~~", "\n", "\n\n", " ", "    ", "#", "## ", "> ",
        "- ", "1. ", "|", "---", "===", "*", "_", "[", "]", "(", ")", "!", ":", "\\", "<!--",
        "-->", "--!>", "<!-->", "javascript:", "JaVaScRiPt:", "data:text/html,x", "vbscript:",
        "&#x61;", "&#58;", "&lt;", "http://a.b/c", "<script>", "</script>", "<img src=x onerror=alert(1)>",
        "<a href='javascript:x'>", "onclick=", "<style>", "<svg onload=x>", "<iframe src=//e.x>",
        "{{ 7*7 }}", "{%", "[x]: ", "![i](", "<http://a.b>", "<javascript:alert(1)>", "text", "é",
        "\t", "\u200b", "Sam Okoro", "note",
    ]
)
#: Whole constructs that reach out of a body or hide something, to combine with the soup above.
CONSTRUCTS = st.sampled_from(
    [
        "```", "~~~~", "```\n<img src=x onerror=alert(1)>\n<script>alert(2)</script>\n```",
        "~~~\n[click](javascript:alert(3)) ![b](https://beacon.example/b.png)\n~~~",
        "> [j]: javascript:alert(1)", "> [e]: https://evil.example/e", "[text][j] and [more][e]",
        "<!-- note", "<!-- note -->", "-->", "`-->`", "--!>", "    indented", "- item", "1. item",
        "<div>", "<script>alert(1)</script>", "| a |\n| - |\n| b", "PRIVATE-NAME-MARKER Sam Okoro",
    ]
)
BODIES = st.lists(
    st.one_of(CONSTRUCTS, st.lists(PIECES, max_size=12).map("".join)), max_size=6
).flatmap(lambda parts: st.sampled_from(["\n\n", "\n", " "]).map(lambda glue: glue.join(parts)))


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(plan=BODIES, items=st.lists(BODIES, min_size=3, max_size=3))
def test_any_bodies_give_a_plan_with_nothing_live(tde: Callable[..., Run], project: Path, plan: str, items: list[str]) -> None:
    """Random hostile bodies in the plan and its feedback: each form passes an independent check
    (nothing live, no private marker), or, when a body quotes a private name, is refused by the
    redaction check with one line and nothing printed. The gate itself never has to refuse it."""
    set_body(project, "plans/arrivals-plan.md", plan)
    for rel, body in zip(SHOWN_FEEDBACK, items, strict=True):
        set_body(project, rel, body)
    for fmt in FORMATS:
        result = tde("render", "plan", "--format", fmt, cwd=project)
        if result.exit_code == 1:
            assert result.stdout == ""
            assert result.stderr.startswith("error: refusing the rendered plan"), result.stderr
            assert "which its consent (private) withholds" in result.stderr, result.stderr
            assert result.stderr.count("\n") == 1
            continue
        assert result.exit_code == 0, result
        assert (live_markdown if fmt == "md" else live_html)(result.stdout) == []
        assert "PRIVATE-" not in result.stdout
        assert "ANON-" not in result.stdout


def test_random_bodies_reach_the_refusal_path(tde: Callable[..., Run], project: Path) -> None:
    """A body quoting a private interviewee is refused: the property test above can take that branch."""
    set_body(project, SHOWN_FEEDBACK[0], "PRIVATE-NAME-MARKER Sam Okoro said so.")
    result = tde("render", "plan", cwd=project)
    assert result.exit_code == 1
    assert result.stdout == ""
