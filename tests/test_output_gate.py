"""The gate on the finished document: what it refuses, where it says it is, what it lets through."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from conftest import Run
from plan_project import copy_project
from tdekit.publish import gate, reading

EXPECTED = Path(__file__).resolve().parent / "fixtures" / "render" / "expected"
HEAD = '<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n<title>Plan</title>\n</head>\n<body>\n'
TAIL = "\n</body>\n</html>\n"
#: The line of HEAD + fragment where the fragment starts.
FIRST = HEAD.count("\n") + 1

#: Fragments of HTML the gate refuses, and a word of the reason it gives.
UNSAFE_HTML = {
    "<script>alert(1)</script>": "<script> element: it runs code",
    "<SCRIPT SRC=https://e.example/x.js></SCRIPT>": "<script> element",
    "<script/x>alert(1)</script>": "<script> element",
    "<iframe src=https://e.example/></iframe>": "<iframe> element",
    "<frameset><frame src=x></frameset>": "<frame> element",
    "<object data=x.swf></object>": "<object> element",
    "<embed src=x.swf>": "<embed> element",
    "<form action=https://e.example/><input name=q></form>": "<form> element",
    "<base href=https://e.example/>": "<base> element",
    '<link rel="stylesheet" href="https://e.example/s.css">': "<link> element: it loads another file",
    '<meta http-equiv="refresh" content="0;url=https://e.example/">': 'http-equiv="refresh"',
    "<svg><a xlink:href=javascript:alert(1)><text>x</text></a></svg>": "<svg> element",
    "<math><mi>x</mi></math>": "<math> element",
    "<video src=https://e.example/v.mp4></video>": "<video> element",
    '<p onclick="alert(1)">x</p>': "<p onclick=...>: an event handler",
    "<p ONMOUSEOVER=alert(1)>x</p>": "an event handler",
    "<img src=x onerror=alert(1)>": "an event handler",
    '<a href="javascript:alert(1)">x</a>': "a link may only go to http, https, mailto or a #section",
    '<a href="JaVaScRiPt:alert(1)">x</a>': "a link may only go to",
    '<a href=" &#x09;java&#x09;script:alert(1)">x</a>': "a link may only go to",
    '<a href="jav&#x61;script:alert(1)">x</a>': "a link may only go to",
    '<a href="vbscript:x">x</a>': "a link may only go to",
    '<a href="data:text/html,<script>alert(1)</script>">x</a>': "a link may only go to",
    '<a href="other-page.html">x</a>': "a link may only go to",
    '<a href="//e.example/x">x</a>': "a link may only go to",
    '<blockquote cite="javascript:x">x</blockquote>': "a link may only go to",
    '<img src="https://beacon.example/p.png" alt="">': "<img src=...>: it loads a file",
    '<img src="data:image/svg+xml,<svg onload=alert(1)>">': "<img src=...>: it loads a file",
    '<img srcset="https://beacon.example/p.png 1x">': "<img srcset=...>: it loads or sends",
    "<p background=https://beacon.example/p.png>x</p>": "it loads or sends",
    '<div style="background:url(https://beacon.example/p.png)">x</div>': "loads a file with url()",
    '<div style="background:u\\72 l(https://beacon.example/p.png)">x</div>': "loads a file with url()",
    '<div style="width:expression(alert(1))">x</div>': "calls expression()",
    "<style>@import url(https://e.example/s.css);</style>": "a style sheet imports another style sheet",
    '<style>@im\\70 ort "https://e.example/s.css";</style>': "imports another style sheet",
    '<style>body{background:url("https://beacon.example/p.png")}</style>': "a style sheet loads a file with url()",
    "<style>p{background-image:image-set('https://b.example/p.png' 1x)}</style>": "calls image-set()",
    "<style>p{behavior:url(x.htc)}</style>": "uses behavior",
    "<!-- --!><script>alert(1)</script> -->": "a comment holding markup",
    "<!--><img src=x onerror=alert(1)>-->": "a comment holding markup",
    "<![CDATA[x]]>": "a declaration",
    "<?php echo 1; ?>": "a processing instruction",
}
#: Fragments it lets through.
SAFE_HTML = [
    '<p>Text with <a href="https://example.org/a?b=1&amp;c=2">a link</a>.</p>',
    '<a href="#s5-3">§5.3</a> and <a href="mailto:team@example.org">write to us</a>',
    '<img src="data:image/png;base64,iVBORw0KGgo=" alt="a stored picture">',
    '<table><tr><th style="text-align:left">a</th><td style="text-align:right">1</td></tr></table>',
    '<style>a[href^="http"]::after { content: " (" attr(href) ")"; } p::before { content: "url(https://x)"; }</style>',
    "<p>&lt;script&gt;alert(1)&lt;/script&gt; and javascript:alert(1) as text</p>",
    '<details><summary>More</summary><p title="onclick=x">x</p></details>',
    "<!-- a note about the layout -->",
]


def document(fragment: str) -> str:
    return HEAD + fragment + TAIL


@pytest.mark.parametrize("fragment", list(UNSAFE_HTML))
def test_the_gate_refuses_html_that_runs_loads_or_sends(fragment: str) -> None:
    """Each unsafe fragment in an otherwise plain page is refused, on its line, with the reason."""
    found = list(gate.problems(reading.read(document("<p>Before.</p>\n" + fragment), "html")))
    assert {line for line, _ in found} == {FIRST + 1}, (found, fragment)
    assert any(UNSAFE_HTML[fragment] in what for _, what in found), (found, fragment)
    with pytest.raises(gate.UnsafeOutput, match=rf"^refusing the rendered plan \(html\): output line {FIRST + 1} holds "):
        gate.refuse_unsafe(reading.read(document("<p>Before.</p>\n" + fragment), "html"))


@pytest.mark.parametrize("fragment", SAFE_HTML)
def test_the_gate_lets_plain_pages_through(fragment: str) -> None:
    """Text, links to the web, mail and the page's own sections, stored pictures and inert style pass."""
    assert list(gate.problems(reading.read(document(fragment), "html"))) == []


@pytest.mark.parametrize("fmt", ["md", "html"])
def test_the_shipped_plan_passes_the_gate(fmt: str) -> None:
    """The golden renders of the fixture plan, in both formats, pass."""
    text = (EXPECTED / f"plan.{fmt}").read_text(encoding="utf-8")
    assert list(gate.problems(reading.read(text, fmt))) == []


@settings(max_examples=200, deadline=None)
@given(st.lists(st.one_of(st.sampled_from(SAFE_HTML), st.sampled_from(list(UNSAFE_HTML))), min_size=1, max_size=8))
def test_any_mix_of_fragments_is_refused_exactly_when_one_is_unsafe(fragments: list[str]) -> None:
    """Combined, safe fragments still pass and any unsafe one still fails, wherever it sits."""
    text = document("\n".join(fragments))
    unsafe = any(f in UNSAFE_HTML for f in fragments)
    assert bool(list(gate.problems(reading.read(text, "html")))) == unsafe


@pytest.mark.parametrize("end", ['<a href="https://e.example/x"', "<scr", "<!-- never closed", "<p title='x"])
def test_markup_left_open_at_the_end_is_refused(end: str) -> None:
    """A tag or comment cut off by the end of the document is refused: parsers differ on what it is."""
    found = list(gate.problems(reading.read("<p>Text.</p>\n" + end, "html")))
    assert found == [(2, f"markup the parser could not read, {end[:20]!r}")]


#: Markdown the gate refuses (as a CommonMark renderer with raw HTML on would show it), and why.
UNSAFE_MARKDOWN = {
    "<script>alert(1)</script>": "<script> element",
    "Text <img src=x onerror=alert(1)> inline.": "an event handler",
    "[click](javascript:alert(1))": "a link may only go to",
    "[click](<java script:x>)": "a link may only go to",
    "<javascript:alert(1)>": "a link may only go to",
    "![beacon](https://beacon.example/p.png)": "<img src=...>: it loads a file",
    "[text][r]\n\n[r]: javascript:alert(1)": "a link may only go to",
    "> [text][r]\n>\n> [r]: vbscript:x": "a link may only go to",
    '<div style="background:url(https://b.example/p.png)">\n\nx\n\n</div>': "loads a file with url()",
    "<iframe src=https://e.example/></iframe>": "<iframe> element",
    "- item <a href='data:text/html,x'>x</a>": "a link may only go to",
}
SAFE_MARKDOWN = [
    "```\n<script>alert(1)</script>\n[x](javascript:alert(1))\n```",
    "\\<script>alert(1)\\</script> and \\[x\\](javascript:alert(1))",
    "&lt;script&gt; `<script>` [ok](https://example.org) <https://example.org> [mail](mailto:a@b.example)",
    "[section](#s5-3)",
]


@pytest.mark.parametrize("text", list(UNSAFE_MARKDOWN))
def test_the_gate_refuses_markdown_that_a_renderer_would_make_live(text: str) -> None:
    """Raw HTML, images and unsafe links in Markdown are refused, on their line of the output."""
    found = list(gate.problems(reading.read(f"# Plan\n\nIntro.\n\n{text}\n", "md")))
    assert found, text
    line = found[0][0]
    assert line == 5, (found, text)
    assert any(UNSAFE_MARKDOWN[text] in what for _, what in found), (found, text)


@pytest.mark.parametrize("text", SAFE_MARKDOWN)
def test_the_gate_lets_inert_markdown_through(text: str) -> None:
    """Code, escaped markup, entities and links to the web, mail and sections pass."""
    assert list(gate.problems(reading.read(f"# Plan\n\n{text}\n", "md"))) == []


# --- through the command line --------------------------------------------------------------------


@pytest.fixture
def project(tmp_path: Path) -> Path:
    root = copy_project(tmp_path)
    (root / "templates" / "render").mkdir(parents=True)
    return root


@pytest.mark.parametrize(
    ("fmt", "template", "line", "what"),
    [
        ("md", "# {{ plan.title }}\n\nIntro.\n\n<script>alert(1)</script>\n", 5, "a <script> element: it runs code"),
        ("md", "# {{ plan.title }}\n\n[Open the form](javascript:alert(1))\n", 3, "<a href=...>: a link may only go to"),
        ("md", "# {{ plan.title }}\n\n![logo](https://cdn.example/logo.png)\n", 3, "<img src=...>: it loads a file"),
        ("html", "<!DOCTYPE html>\n<title>{{ plan.title }}</title>\n<body onload=\"x()\">\n", 3, "<body onload=...>: an event handler"),
        ("html", "<!DOCTYPE html>\n<title>{{ plan.title }}</title>\n<link rel=stylesheet href=https://cdn.example/s.css>\n", 3, "a <link> element"),
    ],
    ids=["md-script", "md-link", "md-image", "html-handler", "html-link-element"],
)
def test_a_project_template_that_emits_live_content_is_refused(
    tde: Callable[..., Run], project: Path, fmt: str, template: str, line: int, what: str
) -> None:
    """The gate holds a project's own template to the same rules: exit 1, the line and the fault, nothing written."""
    (project / "templates" / "render" / f"plan.{fmt}.j2").write_text(template, encoding="utf-8")
    out = project / f"plan.{fmt}"
    for args in ((), ("-o", str(out))):
        result = tde("render", "plan", "--format", fmt, *args, cwd=project)
        assert result.exit_code == 1, result
        assert result.stdout == ""
        assert result.stderr.startswith(f"error: refusing the rendered plan ({fmt}): output line {line} holds {what}"), result.stderr
        assert result.stderr.rstrip().endswith("nothing was written; the project's templates/render/ may have put it there")
        assert result.stderr.count("\n") == 1
    assert not out.exists()


def test_a_project_template_that_names_a_withheld_person_is_refused(tde: Callable[..., Run], project: Path) -> None:
    """A project template cannot print what consent withholds either, however it spells it."""
    (project / "templates" / "render" / "plan.md.j2").write_text(
        "# {{ plan.title }}\n\nThanks to **PRIVATE-NAME-MARKER** sam\n  OKORO.\n", encoding="utf-8"
    )
    result = tde("render", "plan", cwd=project)
    assert result.exit_code == 1, result
    assert result.stderr == (
        "error: refusing the rendered plan (md): output line 3 holds the interviewee of "
        "interviews/drivers-union-steward.md, which its consent (private) withholds; nothing was written\n"
    )


# --- bodies never trip the gate ------------------------------------------------------------------


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from([*UNSAFE_HTML, *UNSAFE_MARKDOWN, *SAFE_MARKDOWN, "\n", "\n\n", "```", "    ", "> ", "- ", "<!--", "-->", "text"]), max_size=12).map("".join))
def test_whatever_a_body_holds_its_rendering_passes_the_gate(body: str) -> None:
    """A body made of the very things the gate refuses comes out of either form with none of them:
    the gate is a second line, which the shipped rendering never needs to trip."""
    from tdekit.markup import to_html, to_markdown

    assert list(gate.problems(reading.read(document(to_html(body, section="1")), "html"))) == []
    assert list(gate.problems(reading.read(to_markdown(body, section="1") + "\n", "md"))) == []
