"""What survives of hostile text in a rendered plan, and what a project's own templates may do."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from collections.abc import Callable
from html.parser import HTMLParser
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from markdown_it import MarkdownIt

from conftest import Run
from tdekit.markup import to_html, to_markdown

PROJECT = Path(__file__).resolve().parent / "fixtures" / "render" / "project"

HOSTILE_BODY = """\
## Payloads

<script>alert('BODY-SCRIPT')</script>
<img src="https://beacon.example/p.png" onerror="alert(1)">
<a href="javascript:alert(1)" onclick="steal()">raw link</a>
[js link](javascript:alert('JSLINK'))
[data link](data:text/html;base64,PHNjcmlwdD4=)
[encoded link](jav&#x61;script:alert(1))
[spaced link]( JaVaScRiPt:alert(1) )
[ref link][evil]
<javascript:alert(1)>
![beacon](https://beacon.example/track.png)
<!-- SECRET-COMMENT-MARKER: note to self -->
<style>body { display: none }</style>
<iframe src="https://evil.example/frame"></iframe>
<svg onload=alert(1)></svg>
Template: {{ 7*7 }} and {% raw %}RAW{% endraw %} and {{ ''.__class__ }}
[fine link](https://example.org/ok)

[evil]: javascript:alert('REF')
"""

#: Tags the sanitised body and our own template may produce.
ALLOWED_TAGS = {
    "html", "head", "meta", "title", "style", "body", "main", "header", "footer", "nav", "section",
    "article", "div", "p", "h1", "h2", "h3", "h4", "h5", "h6", "ul", "ol", "li", "dl", "dt", "dd",
    "blockquote", "pre", "code", "em", "strong", "s", "del", "a", "br", "hr", "table", "thead",
    "tbody", "tfoot", "tr", "th", "td", "span",
}


class Tags(HTMLParser):
    """Every start tag with its attributes, and every comment."""

    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.comments: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))

    def handle_comment(self, data: str) -> None:
        self.comments.append(data)


def parse(html: str) -> Tags:
    parser = Tags()
    parser.feed(html)
    parser.close()
    return parser


def assert_safe_html(html: str, *, document: bool) -> None:
    """No script, handler, style of the user's, remote resource or unsafe link in ``html``."""
    found = parse(html)
    assert not found.comments
    for tag, attrs in found.tags:
        assert tag in ALLOWED_TAGS, tag
        for name, value in attrs.items():
            assert not name.startswith("on"), (tag, name)
            assert name not in ("src", "srcset", "style", "background", "action", "formaction") or (
                name == "style" and value in ("text-align:left", "text-align:center", "text-align:right")
            ), (tag, name, value)
            if name == "href":
                assert re.match(r"^(https?:|mailto:|#)", value or ""), value
    styles = [t for t, _ in found.tags if t == "style"]
    assert len(styles) == (1 if document else 0)


def assert_safe_markdown(text: str) -> None:
    """No raw HTML, image or unsafe link in ``text`` read as CommonMark with HTML on."""
    md = MarkdownIt("commonmark", {"html": True}).enable(["table", "strikethrough"])
    md.validateLink = lambda url: True  # type: ignore[method-assign]
    stack = list(md.parse(text))
    while stack:
        token = stack.pop()
        stack.extend(token.children or [])
        assert token.type not in ("html_block", "html_inline", "image"), (token.type, token.content)
        if token.type == "link_open":
            href = str(token.attrGet("href") or "")
            scheme = re.match(r"^([A-Za-z][A-Za-z0-9+.\-]*):", href)
            assert scheme is None or scheme.group(1).lower() in ("http", "https", "mailto"), href


@pytest.fixture
def hostile(tmp_path: Path) -> Path:
    """The fixture project with hostile text in the plan's body and front matter and in feedback."""
    root = tmp_path / "hostile"
    shutil.copytree(PROJECT, root)
    plan = root / "plans" / "arrivals-plan.md"
    text = plan.read_text(encoding="utf-8")
    front, _, _ = text.partition("\n---\n")
    front = front.replace(
        'title: "Draft plan: bus arrival times by stop"',
        "title: \"<script>alert('TITLE')</script> {{ 7*7 }} plan\"",
    ).replace(
        "resources: One analyst for two months; no new software.",
        "resources: \"javascript:alert('RESOURCES')\"",
    ).replace(
        "steward: The Transit Authority keeps the feed running after the pilot.",
        "steward: https://evil.example/steward",
    ).replace(
        "  - who: Open Data Program\n",
        "  - who: \"[who](javascript:alert('WHO')) <img src=x onerror=alert(1)>\"\n",
    ).replace(
        "  - Publish the real-time feed in GTFS-Realtime\n",
        "  - \"<b onmouseover=alert(1)>bold</b> ![t](https://beacon.example/a.png) | pipe\"\n",
    )
    plan.write_text(front + "\n---\n\n" + HOSTILE_BODY, encoding="utf-8")
    feedback = root / "feedback" / "portal-comment.md"
    text = feedback.read_text(encoding="utf-8")
    front, _, _ = text.partition("\n---\n")
    front = front.replace(
        "response: The feed will update every 30 seconds from the first release.",
        "response: \"<a href='javascript:alert(1)'>done</a> {% raw %}x{% endraw %}\"",
    )
    feedback.write_text(front + "\n---\n\n" + HOSTILE_BODY, encoding="utf-8")
    return root


def test_hostile_html_keeps_text_and_drops_everything_active(tde: Callable[..., Run], hostile: Path) -> None:
    """Scripts, handlers, user styles, frames, images and unsafe links do not survive into HTML."""
    result = tde("render", "plan", "--format", "html", cwd=hostile)
    assert result.exit_code == 0, result
    html = result.stdout
    assert_safe_html(html, document=True)
    assert "SECRET-COMMENT-MARKER" not in html
    assert "<script" not in html.lower()
    # what was typed is shown as text
    assert "&lt;script&gt;alert(&#39;TITLE&#39;)&lt;/script&gt; {{ 7*7 }} plan" in html
    assert "Template: {{ 7*7 }} and {% raw %}RAW{% endraw %} and" in html
    assert "49" not in re.sub(r"<style>.*?</style>", "", html, flags=re.DOTALL)
    assert "&lt;script&gt;alert('BODY-SCRIPT')&lt;/script&gt;" in html
    # front-matter addresses are text, never links
    assert "https://evil.example/steward" in html
    assert 'href="https://evil.example' not in html
    assert "javascript:alert(&#39;RESOURCES&#39;)" in html
    # an image becomes a link to it, never a request
    assert '<a href="https://beacon.example/track.png" rel="noopener noreferrer nofollow">Image: beacon</a>' in html
    assert '<a href="https://example.org/ok" rel="noopener noreferrer nofollow">fine link</a>' in html


def test_hostile_markdown_has_no_active_content(tde: Callable[..., Run], hostile: Path) -> None:
    """The Markdown form holds no raw HTML, image or unsafe link, and shows template syntax as typed."""
    result = tde("render", "plan", "--format", "md", cwd=hostile)
    assert result.exit_code == 0, result
    text = result.stdout
    assert_safe_markdown(text)
    assert "SECRET-COMMENT-MARKER" not in text
    assert "{{ 7\\*7 }} plan" in text  # front matter: escaped, shown as typed
    assert "Template: {{ 7*7 }} and {% raw %}RAW{% endraw %}" in text
    assert "[fine link](https://example.org/ok)" in text
    assert "[beacon](https://beacon.example/track.png)" in text
    assert "\\| pipe" in text  # a pipe in a table cell cannot split it


def test_project_template_overrides_the_shipped_one(tde: Callable[..., Run], hostile: Path) -> None:
    """templates/render/plan.md.j2 in the project replaces the shipped template."""
    folder = hostile / "templates" / "render"
    folder.mkdir(parents=True)
    (folder / "plan.md.j2").write_text("Custom: {{ plan.usecase.title }} ({{ plan.feedback | length }})\n", encoding="utf-8")
    result = tde("render", "plan", cwd=hostile)
    assert result.exit_code == 0, result
    assert result.stdout == "Custom: Bus arrival times by stop, to plan a commute (3)\n"


def test_project_css_partial_overrides_the_shipped_one(tde: Callable[..., Run], hostile: Path) -> None:
    """A project's templates/render/plan.css.j2 restyles the HTML without touching the rest."""
    folder = hostile / "templates" / "render"
    folder.mkdir(parents=True)
    (folder / "plan.css.j2").write_text("body { color: #123456; }\n", encoding="utf-8")
    result = tde("render", "plan", "--format", "html", cwd=hostile)
    assert result.exit_code == 0, result
    assert "<style>\nbody { color: #123456; }\n\n</style>" in result.stdout


@pytest.mark.parametrize(
    "source",
    [
        "{{ ''.__class__.__mro__ }}",
        "{{ plan.__class__.__init__.__globals__ }}",
        "{{ plan.usecase.stories.__class__.__subclasses__() }}",
    ],
)
def test_hostile_template_cannot_escape_the_sandbox(tde: Callable[..., Run], hostile: Path, source: str) -> None:
    """A template reaching for Python internals is stopped: one error line, exit 2, nothing printed."""
    folder = hostile / "templates" / "render"
    folder.mkdir(parents=True)
    (folder / "plan.md.j2").write_text(source + "\n", encoding="utf-8")
    result = tde("render", "plan", cwd=hostile)
    assert result.exit_code == 2
    assert result.stdout == ""
    assert result.stderr.startswith("error: template templates/render/plan.md.j2:1: refused by the sandbox: ")
    assert result.stderr.count("\n") == 1


@pytest.mark.parametrize(
    ("source", "message"),
    [
        ("line one\n{% if %}\n", "2: Expected an expression, got 'end of statement block'"),
        ("line one\n{{ plan.nope }}\n", "2: plan has no field 'nope'"),
        ("{{ plan.titel }}\n", "1: plan has no field 'titel'; did you mean 'title'?"),
        ("{{ plan.usecase.score.nope }}\n", "1: plan.usecase.score has no field 'nope'"),
        ("{% for f in plan.feedback %}\n{{ f.nope }}\n{% endfor %}\n", "2: an item of plan.feedback has no field 'nope'"),
        ("{{ nope }}\n", "1: 'nope' is undefined"),
        ("\n\n{% include 'render/nope.j2' %}\n", "3: no template 'render/nope.j2' in the project's templates/ or tdekit's own"),
        ("{{ 1 / 0 }}\n", "1: ZeroDivisionError: division by zero"),
    ],
    ids=["syntax", "field", "did-you-mean", "nested", "loop", "variable", "include", "arithmetic"],
)
def test_broken_template_is_one_located_line(tde: Callable[..., Run], hostile: Path, source: str, message: str) -> None:
    """A broken project template fails with exit 2 and one line: its path in the project, the line, the fault in words."""
    folder = hostile / "templates" / "render"
    folder.mkdir(parents=True)
    (folder / "plan.md.j2").write_text(source, encoding="utf-8")
    result = tde("render", "plan", cwd=hostile)  # an exception escaping would fail here
    assert result.exit_code == 2
    assert result.stdout == ""
    assert result.stderr == f"error: template templates/render/plan.md.j2:{message}\n"


def test_broken_partial_is_named_itself(tde: Callable[..., Run], hostile: Path) -> None:
    """An error in a project's plan.css.j2, included by the shipped HTML template, names the partial and its line."""
    folder = hostile / "templates" / "render"
    folder.mkdir(parents=True)
    (folder / "plan.css.j2").write_text("body { color: #123; }\n{{ plan.usecase.nope }}\n", encoding="utf-8")
    result = tde("render", "plan", "--format", "html", cwd=hostile)
    assert result.exit_code == 2
    assert result.stderr == "error: template templates/render/plan.css.j2:2: plan.usecase has no field 'nope'\n"


LINKED = "it is a symbolic link; tde uses only regular files inside templates/ as the project's templates"


def _link_the_template(root: Path, private: Path) -> str:
    (root / "templates" / "render" / "plan.md.j2").symlink_to(private)
    return f"templates/render/plan.md.j2: {LINKED}"


def _include_a_link(root: Path, private: Path) -> str:
    folder = root / "templates" / "render"
    (folder / "notes.j2").symlink_to(private)
    (folder / "plan.md.j2").write_text("# Plan\n{% include 'render/notes.j2' %}\n", encoding="utf-8")
    return f"templates/render/plan.md.j2:2: cannot use templates/render/notes.j2: {LINKED}"


def _import_a_link(root: Path, private: Path) -> str:
    folder = root / "templates" / "render"
    (folder / "macros.j2").symlink_to(private)
    (folder / "plan.md.j2").write_text("{% import 'render/macros.j2' as m %}\n", encoding="utf-8")
    return f"templates/render/plan.md.j2:1: cannot use templates/render/macros.j2: {LINKED}"


def _extend_a_link(root: Path, private: Path) -> str:
    folder = root / "templates" / "render"
    (folder / "base.j2").symlink_to(private)
    (folder / "plan.md.j2").write_text("\n{% extends 'render/base.j2' %}\n", encoding="utf-8")
    return f"templates/render/plan.md.j2:2: cannot use templates/render/base.j2: {LINKED}"


def _include_through_a_linked_folder(root: Path, private: Path) -> str:
    (root / "templates" / "render" / "plan.md.j2").write_text("{% include 'notes/x.j2' %}\n", encoding="utf-8")
    (root / "templates" / "notes").symlink_to(private.parent)
    return f"templates/render/plan.md.j2:1: cannot use templates/notes: {LINKED}"


def _link_the_templates_folder(root: Path, private: Path) -> str:
    shutil.rmtree(root / "templates")
    (root / "templates").symlink_to(private.parent)
    return f"templates/: {LINKED}"


def _template_a_folder(root: Path, private: Path) -> str:
    (root / "templates" / "render" / "plan.md.j2").mkdir()
    return "templates/render/plan.md.j2: it is not a regular file; a template must be one"


@pytest.mark.parametrize(
    "setup",
    [_link_the_template, _include_a_link, _import_a_link, _extend_a_link,
     _include_through_a_linked_folder, _link_the_templates_folder, _template_a_folder],
    ids=["template", "include", "import", "extends", "linked folder", "templates folder", "a folder"],
)
def test_project_template_reaching_outside_templates_is_refused(
    setup: Callable[[Path, Path], str], tde: Callable[..., Run], hostile: Path, tmp_path: Path
) -> None:
    """A template that is, or uses, a link to a file elsewhere (a private interview) is refused: exit 2, nothing printed."""
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    private = elsewhere / "x.j2"
    shutil.copy(hostile / "interviews" / "drivers-union-steward.md", private)
    (elsewhere / "render").mkdir()
    (elsewhere / "render" / "plan.md.j2").symlink_to(private)
    (hostile / "templates" / "render").mkdir(parents=True)
    message = setup(hostile, private)
    result = tde("render", "plan", cwd=hostile)
    assert (result.exit_code, result.stdout) == (2, "")
    assert result.stderr == f"error: template {message}\n"
    assert "PRIVATE-NAME-MARKER" not in result.stderr


def test_project_template_in_another_encoding_is_located(tde: Callable[..., Run], hostile: Path) -> None:
    """A project template that is not UTF-8 is named with the line of the first bad byte: exit 2."""
    folder = hostile / "templates" / "render"
    folder.mkdir(parents=True)
    (folder / "plan.md.j2").write_bytes(b"# {{ plan.title }}\n\nCaf\xe9 notes\n")
    result = tde("render", "plan", cwd=hostile)
    assert (result.exit_code, result.stdout) == (2, "")
    assert result.stderr == (
        "error: template templates/render/plan.md.j2:3: byte 0xe9 is not valid UTF-8; save the template as UTF-8\n"
    )


def test_project_partial_in_another_encoding_is_located(tde: Callable[..., Run], hostile: Path) -> None:
    """A project's plan.css.j2 in Latin-1, included by the shipped HTML template, is named with its line."""
    folder = hostile / "templates" / "render"
    folder.mkdir(parents=True)
    (folder / "plan.css.j2").write_bytes(b"body { color: #123; }\n/* caf\xe9 */\n")
    result = tde("render", "plan", "--format", "html", cwd=hostile)
    assert (result.exit_code, result.stdout) == (2, "")
    assert re.fullmatch(
        r"error: template tdekit's render/plan\.html\.j2:\d+: cannot use templates/render/plan\.css\.j2:2: "
        r"byte 0xe9 is not valid UTF-8; save the template as UTF-8\n",
        result.stderr,
    ), result.stderr


def test_project_template_that_is_a_pipe_does_not_hang(hostile: Path) -> None:
    """A pipe where a template belongs is refused unopened (opening it would wait for ever)."""
    folder = hostile / "templates" / "render"
    folder.mkdir(parents=True)
    os.mkfifo(folder / "plan.md.j2")
    done = subprocess.run([sys.executable, "-m", "tdekit", "render", "plan"], cwd=hostile,
                          env={**os.environ, "NO_COLOR": "1"}, capture_output=True, timeout=60, check=False)
    assert (done.returncode, done.stdout) == (2, b"")
    assert done.stderr == (
        b"error: template templates/render/plan.md.j2: it is not a regular file; a template must be one\n"
    )


def test_template_error_names_the_project_folder_from_anywhere(tde: Callable[..., Run], hostile: Path) -> None:
    """Run from a subfolder, or with --project, the template is still named relative to the project."""
    folder = hostile / "templates" / "render"
    folder.mkdir(parents=True)
    (folder / "plan.md.j2").write_text("{{ plan.nope }}\n", encoding="utf-8")
    expected = "error: template templates/render/plan.md.j2:1: plan has no field 'nope'\n"
    assert tde("render", "plan", cwd=hostile / "plans").stderr == expected
    assert tde("render", "plan", "--project", str(hostile), cwd=hostile.parent).stderr == expected


# --- where -o may write ----------------------------------------------------------------------


@pytest.mark.parametrize(
    "target",
    [
        "plans/arrivals-plan.md",
        "tde.yaml",
        "TDE.YAML",
        "usecases/arrivals-by-stop.md",
        "interviews/new-file.md",
        "personas/daily-rider.html",
        "feedback/portal-comment.md",
        "templates/render/plan.md.j2",
        "build/../plans/arrivals-plan.md",
        "./Feedback/../plans/arrivals-plan.md",
        "PLANS/arrivals-plan.md",
        "plans",
    ],
)
def test_output_never_lands_on_the_projects_records(tde: Callable[..., Run], hostile: Path, target: str) -> None:
    """-o naming tde.yaml or anything in a record or templates folder, however spelt, is refused: exit 1, one line, no write."""
    (hostile / "build").mkdir()
    (hostile / "PLANS").mkdir()  # a folder that a case-insensitive file system would take for plans/
    (hostile / "templates" / "render").mkdir(parents=True)
    before = snapshot(hostile)
    result = tde("render", "plan", "-o", target, cwd=hostile)
    assert result.exit_code == 1
    assert result.stderr.startswith(f"error: refusing to write the plan to {Path(target)}: "), result.stderr
    assert result.stderr.count("\n") == 1
    assert snapshot(hostile) == before


def test_output_path_is_resolved_before_it_is_checked(tde: Callable[..., Run], hostile: Path) -> None:
    """An absolute path, a path from a subfolder, and a link to a record folder are all caught."""
    (hostile / "build").mkdir()
    (hostile / "build" / "records").symlink_to(hostile / "plans")
    before = snapshot(hostile)
    for target, cwd in (
        (str(hostile / "plans" / "arrivals-plan.md"), hostile.parent),
        ("arrivals-plan.md", hostile / "plans"),
        ("../tde.yaml", hostile / "build"),
        ("build/records/arrivals-plan.md", hostile),
        ("build/records/new.md", hostile),
    ):
        result = tde("render", "plan", "--project", str(hostile), "-o", target, cwd=cwd)
        assert result.exit_code == 1, (target, result)
        assert "refusing to write the plan to" in result.stderr
    assert snapshot(hostile) == before


@pytest.mark.parametrize("target", ["plan.html", "build/plan.md", "build/plans/plan.md", "plans.md"])
def test_output_elsewhere_in_the_project_is_written(tde: Callable[..., Run], hostile: Path, target: str) -> None:
    """-o at the project's top or in a folder of its own, such as build/, is written."""
    (hostile / "build" / "plans").mkdir(parents=True)
    result = tde("render", "plan", "-o", target, cwd=hostile)
    assert result.exit_code == 0, result
    assert (hostile / target).read_text(encoding="utf-8").startswith("# ")


def test_output_dash_means_standard_output(tde: Callable[..., Run], hostile: Path) -> None:
    """-o - prints the plan, as without -o, and writes no file named '-'; ./- is such a file."""
    printed = tde("render", "plan", cwd=hostile)
    assert printed.exit_code == 0, printed
    before = snapshot(hostile)
    dashed = tde("render", "plan", "-o", "-", cwd=hostile)
    assert (dashed.exit_code, dashed.stdout, dashed.stderr) == (0, printed.stdout, printed.stderr)
    assert snapshot(hostile) == before
    written = tde("render", "plan", "-o", "./-", cwd=hostile)
    assert (written.exit_code, written.stdout) == (0, "")
    assert (hostile / "-").read_text(encoding="utf-8") == printed.stdout


def test_output_help_says_what_dash_means(tde: Callable[..., Run]) -> None:
    """The help of -o tells that '-' is standard output."""
    result = tde("render", "plan", "--help")
    assert "'-o -' prints to standard output" in " ".join(result.stdout.split())


@pytest.mark.parametrize(
    "target",
    [".git/HEAD", ".git/config", "./.git/../.git/x", ".GIT/new", ".git", ".tde-cache/records.pickle", ".tde-cache/new"],
)
def test_output_never_lands_in_git_or_the_cache(tde: Callable[..., Run], hostile: Path, target: str) -> None:
    """-o into the project's .git/ or .tde-cache/ is refused: exit 1, one line, nothing written there."""
    (hostile / ".git").mkdir()
    (hostile / ".git" / "HEAD").write_text("ref: refs/heads/main\n", encoding="utf-8")
    (hostile / ".git" / "config").write_text("[core]\n", encoding="utf-8")
    assert tde("render", "plan", cwd=hostile).exit_code == 0  # makes .tde-cache/
    before = everything(hostile)
    assert ".tde-cache/records.pickle" in before
    result = tde("render", "plan", "-o", target, cwd=hostile)
    assert result.exit_code == 1, result
    assert result.stderr.startswith(f"error: refusing to write the plan to {Path(target)}: it is inside "), result.stderr
    assert result.stderr.count("\n") == 1
    assert everything(hostile) == before


def test_output_into_an_enclosing_repository_is_refused(tde: Callable[..., Run], hostile: Path) -> None:
    """A project inside a larger git repository: a path through that repository's .git is refused too."""
    git = hostile.parent / ".git"
    git.mkdir()
    (git / "HEAD").write_text("ref: refs/heads/main\n", encoding="utf-8")
    before = everything(git)
    result = tde("render", "plan", "-o", "../.git/HEAD", cwd=hostile)
    assert result.exit_code == 1, result
    assert "it is inside .git/, which holds a git repository" in result.stderr
    assert everything(git) == before


def everything(root: Path) -> dict[str, bytes]:
    """Every file under ``root``, the cache and .git included, and its bytes."""
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


@pytest.mark.parametrize("folder", ["interviews", "personas", "usecases", "plans", "feedback"])
def test_a_record_folder_linked_out_of_the_project_is_refused(
    tde: Callable[..., Run], hostile: Path, tmp_path: Path, folder: str
) -> None:
    """Its records are not read, so the plan would falsely say there are none: refuse, write nothing."""
    (tmp_path / "elsewhere").mkdir()
    (hostile / folder).rename(tmp_path / "elsewhere" / folder)
    (hostile / folder).symlink_to(tmp_path / "elsewhere" / folder)
    for args in ((), ("-o", "plan.md"), ("arrivals-plan", "--format", "html", "-o", "plan.html")):
        result = tde("render", "plan", *args, cwd=hostile)
        assert result.exit_code == 1, (args, result)
        assert result.stderr.startswith("error: cannot render "), result.stderr
        assert f"{folder}: error: the folder is a link to " in result.stderr
        assert result.stderr.rstrip().endswith("[symlink-outside]")
        assert result.stderr.count("\n") == 1
        assert result.stdout == ""
    assert not (hostile / "plan.md").exists()
    assert not (hostile / "plan.html").exists()


def snapshot(root: Path) -> dict[str, bytes]:
    """Every file under ``root`` (outside the cache) and its bytes."""
    return {
        str(p.relative_to(root)): p.read_bytes()
        for p in sorted(root.rglob("*"))
        if p.is_file() and not p.is_symlink() and ".tde-cache" not in p.parts
    }


PIECES = st.sampled_from(
    [
        "<", ">", "&", "\"", "'", "`", "```", "~~~", "\n", "\n\n", " ", "    ", "#", "## ", "> ",
        "- ", "1. ", "|", "---", "*", "_", "[", "]", "(", ")", "!", ":", "\\", "<!--", "-->",
        "javascript:", "JaVaScRiPt:", "data:", "vbscript:", "&#x61;", "&#58;", "http://a.b/c",
        "<script>", "</script>", "<img src=x onerror=alert(1)>", "<a href='javascript:x'>",
        "onclick=", "<style>", "<svg onload=x>", "{{ 7*7 }}", "{%", "[x]: ", "![i](", "<http://a.b>",
        "<javascript:alert(1)>", "text", "é", "\t",
    ]
)


@settings(max_examples=300, deadline=None)
@given(st.lists(PIECES, max_size=30).map("".join))
def test_any_body_renders_to_safe_html_and_markdown(body: str) -> None:
    """Whatever a body holds, its HTML and Markdown forms carry nothing active."""
    assert_safe_html(to_html(body, section="1"), document=False)
    assert_safe_markdown(to_markdown(body, section="1"))
