"""The comment period in the rendered plan: the banner of every format, the "Comment on §N" links
of the HTML (mailto: and form addresses, URL-encoded), the team's changes and where each piece
of feedback led; hostile text in the period's fields is shown as text and passes the gate."""

from __future__ import annotations

import re
from collections.abc import Callable
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import parse_qs, unquote, urlsplit

import pytest

from conftest import Run
from plan_project import copy_project, edit, live_markdown

PLAN = "plans/arrivals-plan.md"
DAY = "1790000000"  # 2026-09-21
TITLE = "Draft plan: bus arrival times by stop"


class Links(HTMLParser):
    """Every link of a page: its address and its text (hidden text included)."""

    def __init__(self) -> None:
        super().__init__()
        self.links: list[tuple[str, str]] = []
        self._open: list[str] | None = None
        self._href = ""
        self.scripts = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "script":
            self.scripts += 1
        if tag == "a":
            self._href, self._open = dict(attrs).get("href") or "", []

    def handle_data(self, data: str) -> None:
        if self._open is not None:
            self._open.append(data)

    def handle_endtag(self, tag: str) -> None:
        if tag == "a" and self._open is not None:
            self.links.append((self._href, "".join(self._open)))
            self._open = None


def links(html: str) -> Links:
    parser = Links()
    parser.feed(html)
    return parser


def with_period(root: Path, period: str, changes: str = "") -> None:
    edit(root, PLAN, "  - Answer the open question on fares by 2026-07-31\n---",
         "  - Answer the open question on fares by 2026-07-31\n" + period + changes + "---")


@pytest.fixture
def root(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", DAY)
    return copy_project(tmp_path)


MAIL_PERIOD = (
    "comment_period:\n  opens: 2026-09-01\n  closes: 2026-10-01\n"
    "  how: Reply by e-mail & cite the section\n  email: transit.comments@example.org\n"
    "  contact: Open Data Program, 555-0100\n"
)


def test_mailto_links_name_the_plan_and_section_encoded(root: Path, tde: Callable[..., Run]) -> None:
    with_period(root, MAIL_PERIOD)
    run = tde("render", "plan", "--format", "html", cwd=root)
    assert run.exit_code == 0, run
    found = links(run.stdout)
    assert found.scripts == 0
    comment = [(href, text) for href, text in found.links if text.startswith("Comment on §")]
    assert ("Comment on §5.3: Timeline") in [text for _, text in comment]
    href = next(h for h, text in comment if text == "Comment on §5.3: Timeline")
    parts = urlsplit(href)
    assert (parts.scheme, unquote(parts.path)) == ("mailto", "transit.comments@example.org")
    assert " " not in href and "§" not in href and ":" not in parts.query  # all encoded
    assert parse_qs(parts.query) == {"subject": [f"Comment on §5.3 of {TITLE}"]}
    # every numbered part of the plan has one; the feedback log and history have none
    numbers = [text.split(":")[0].removeprefix("Comment on §") for _, text in comment]
    assert numbers[:3] == ["1", "2", "2.1"] and "6.2" not in numbers and "8" not in numbers
    banner = run.stdout.split('<p class="comment-period">', 1)[1].split("</p>", 1)[0]
    assert "<strong>Comments until 2026-10-01</strong> (open since 2026-09-01)." in banner
    assert "Reply by e-mail &amp; cite the section. By e-mail to" in banner
    assert "Questions: Open Data Program, 555-0100." in banner
    assert f'href="mailto:transit.comments@example.org?subject=Comment%20on%20{TITLE.replace(" ", "%20").replace(":", "%3A")}"' in banner


def test_form_url_gets_the_section_number(root: Path, tde: Callable[..., Run]) -> None:
    with_period(root, "comment_period:\n  closes: 2026-10-01\n"
                      "  form_url: https://forms.example.org/f?plan=arrivals&part={section}\n")
    run = tde("render", "plan", "--format", "html", cwd=root)
    assert run.exit_code == 0, run
    hrefs = {text: href for href, text in links(run.stdout).links}
    assert hrefs["Comment on §5.3: Timeline"] == "https://forms.example.org/f?plan=arrivals&part=5.3"
    assert hrefs["Comment online"] == "https://forms.example.org/f?plan=arrivals&part="
    assert 'href="https://forms.example.org/f?plan=arrivals&amp;part=5.3"' in run.stdout


def test_markdown_banner_says_how_and_where(root: Path, tde: Callable[..., Run]) -> None:
    with_period(root, MAIL_PERIOD.replace("  contact:", "  form_url: https://forms.example.org/{section}\n  contact:"))
    run = tde("render", "plan", cwd=root)
    assert run.exit_code == 0, run
    lines = run.stdout.splitlines()
    assert lines[4] == (
        "> **Comments until 2026-10-01** (open since 2026-09-01). Reply by e-mail & cite the "
        "section. By e-mail to <transit.comments@example.org>, with the section number in the "
        "subject. Online: <https://forms.example.org/>. Questions: Open Data Program, 555-0100."
    )
    assert live_markdown(run.stdout) == []


def test_no_links_once_the_period_is_over_or_the_plan_final(
    root: Path, tde: Callable[..., Run], monkeypatch: pytest.MonkeyPatch
) -> None:
    with_period(root, MAIL_PERIOD)
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1800000000")  # 2027-01-15
    run = tde("render", "plan", "--format", "html", cwd=root)
    assert "<strong>The comment period closed on 2026-10-01.</strong>" in run.stdout
    assert not [t for _, t in links(run.stdout).links if t.startswith("Comment on")]
    md = tde("render", "plan", cwd=root)
    assert "> **The comment period closed on 2026-10-01.**" in md.stdout
    assert "transit.comments@example.org" not in md.stdout


def test_changes_link_to_the_feedback_they_answer(root: Path, tde: Callable[..., Run]) -> None:
    with_period(root, "comment_period:\n  closes: 2026-10-01\n", (
        "changes:\n  - section: Timeline\n    change: The feed updates every 30 seconds.\n"
        "    feedback: [portal-comment, driver-call]\n"
    ))
    html = tde("render", "plan", "--format", "html", cwd=root)
    assert html.exit_code == 0, html
    item = html.stdout.split('<ul class="changes">', 1)[1].split("</ul>", 1)[0]
    assert re.sub(r"\s+", " ", item).strip() == (
        '<li><strong><a href="#s5-3">§5.3 Timeline</a>:</strong> The feed updates every 30 seconds. '
        '(in answer to <a href="#f1">F1</a>, and 1 comment not published)</li>'
    )
    f1 = html.stdout.split('id="f1"', 1)[1].split("</article>", 1)[0]
    assert '<p class="led-to">It led to changes in: <a href="#s5-3">§5.3 Timeline</a>.</p>' in f1
    md = tde("render", "plan", cwd=root)
    assert ("- **§5.3 Timeline:** The feed updates every 30 seconds. (in answer to F1, and 1 "
            "comment not published)") in md.stdout
    assert "**It led to changes in:** §5.3 Timeline." in md.stdout


HOSTILE = "<script>alert(1)</script> [x](javascript:alert(1)) <img src=x onerror=alert(1)>"


@pytest.mark.parametrize("fmt", ["md", "html"])
def test_hostile_text_in_the_period_is_text(root: Path, tde: Callable[..., Run], fmt: str) -> None:
    with_period(root, (
        f"comment_period:\n  closes: 2026-10-01\n  how: '{HOSTILE}'\n  contact: '{HOSTILE}'\n"
        "  email: a@example.org\n"
    ), f"changes:\n  - section: '{HOSTILE}'\n    change: '{HOSTILE}'\n")
    run = tde("render", "plan", "--format", fmt, cwd=root)
    assert run.exit_code == 0, run  # passed the gate
    if fmt == "html":
        found = links(run.stdout)
        assert found.scripts == 0
        assert all(not href.lower().startswith("javascript") for href, _ in found.links)
        assert "&lt;script&gt;" in run.stdout
    else:
        assert live_markdown(run.stdout) == []


def test_a_javascript_form_url_is_refused_before_any_render(root: Path, tde: Callable[..., Run]) -> None:
    with_period(root, "comment_period:\n  closes: 2026-10-01\n  form_url: javascript:alert(1)//{section}\n")
    run = tde("render", "plan", "--format", "html", cwd=root)
    assert run.exit_code == 1
    assert "comment_period.form_url must be an https:// address" in run.stderr
    assert run.stdout == ""
