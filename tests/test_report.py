"""``tde render report``: the public report of the whole loop, in Markdown and HTML.

The fixture is the render fixture (tests/fixtures/render/project, with its consent markers)
carried through Step 4: its plan final with milestones and outcome indicators
(tests/fixtures/report/follow-through.yaml) and two updates. Golden files:

    UPDATE_GOLDEN=1 pytest tests/test_report.py
"""

from __future__ import annotations

import re
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest

from conftest import Run, assert_golden
from test_render import FORMATS, HIDDEN, PROJECT

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "report"
EXPECTED = FIXTURES / "expected"
#: 2026-10-01, noon UTC: the "generated on" date of the golden files.
EPOCH = "1790856000"
PLAN = "plans/arrivals-plan.md"


def follow_through(root: Path) -> None:
    """Put follow-through.yaml's fields into the plan, in place of its own, and decide the open
    feedback (a final plan has none)."""
    path = root / PLAN
    text = path.read_text(encoding="utf-8")
    additions = (FIXTURES / "follow-through.yaml").read_text(encoding="utf-8")
    for block in re.findall(r"(?ms)^([a-z_]+):.*?(?=^[a-z_]+:|\Z)", additions):
        whole = re.search(rf"(?ms)^{block}:.*?(?=^[a-z_]+:|\Z)", additions)
        assert whole is not None
        text = re.sub(rf"(?ms)^{block}:.*?(?=^[a-z_]+:|^---)", whole.group(0).replace("\\", "\\\\"), text, count=1)
    path.write_text(text, encoding="utf-8")
    fares = root / "feedback" / "fares-question.md"
    fares.write_text(
        fares.read_text(encoding="utf-8").replace(
            "disposition: open", "disposition: declined\nresponse: Fares are set by the Transit Authority's board."
        ),
        encoding="utf-8",
    )
    shutil.copytree(FIXTURES / "updates", root / "updates")


@pytest.fixture
def followed(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    root = tmp_path / "lakeside"
    shutil.copytree(PROJECT, root)
    follow_through(root)
    monkeypatch.setenv("SOURCE_DATE_EPOCH", EPOCH)
    return root


def render(tde: Callable[..., Run], root: Path, fmt: str, *args: str) -> Run:
    return tde("render", "report", *args, "--format", fmt, cwd=root)


def test_the_fixture_validates(tde: Callable[..., Run], followed: Path) -> None:
    result = tde("validate", cwd=followed)
    assert result.exit_code == 0, result
    assert " error: " not in result.stdout  # the fixture's own warnings (scores missing) aside


@pytest.mark.parametrize("fmt", FORMATS)
def test_report_matches_golden_file(tde: Callable[..., Run], followed: Path, fmt: str) -> None:
    result = render(tde, followed, fmt)
    assert result.exit_code == 0, result
    assert_golden(result.stdout, EXPECTED / f"report.{fmt}")


@pytest.mark.parametrize("fmt", FORMATS)
def test_report_holds_the_whole_loop_with_consent_applied(tde: Callable[..., Run], followed: Path, fmt: str) -> None:
    text = render(tde, followed, fmt).stdout
    for marker in HIDDEN:
        assert marker not in text, marker
    # who we heard from: the private interview neither counted nor named, the anonymous one counted
    assert "We held 2 conversations, with 2 people" in text
    assert "Grace Lee" in text  # public consent: named
    # every feedback item that may be shown, with the team's response; private ones left out
    assert "Fares are set by the Transit Authority" in text
    assert "The feed will update every 30 seconds" in text
    assert text.count("What we did") == 3
    # milestones and their status, updates oldest first, outcomes against targets
    assert "Done" in text and "Late" in text and "Dropped" in text
    assert text.index("The text lookup comes a month later") < text.index("The arrivals feed is live")
    assert "lookups per weekday: 1,240 measured on 2026-09-20 against a target of 800, from a baseline of 0: target met." in text
    assert "riders waiting over 15 minutes (%): 15 measured on 2026-09-20 against a target of 12, from a baseline of 22: target not met yet." in text
    assert "riders who trust the times (survey): not measured yet (a target of most riders)." in text
    assert "It scored" in text and "use cases considered" in text


def test_html_bars_are_hidden_from_screen_readers_and_need_no_script(tde: Callable[..., Run], followed: Path) -> None:
    text = render(tde, followed, "html").stdout
    bars = re.findall(r'<span class="bar[^"]*" aria-hidden="true"><span class="bar-fill" style="width: (\d+)%"></span><span class="bar-target" style="left: (\d+)%"></span></span>', text)
    # 1,240 against 800 (scale to 1,364), 15 against 12 (scale to 24.2); the third has no numbers
    assert bars == [("91", "59"), ("62", "50")]
    assert "<script" not in text and "<svg" not in text


def test_report_is_written_with_o_and_defaults_to_the_final_plan(tde: Callable[..., Run], followed: Path) -> None:
    out = followed / "report.html"
    result = tde("render", "report", "-f", "html", "-o", str(out), cwd=followed)
    assert result.exit_code == 0, result
    assert result.stderr == f"Wrote the report of arrivals-plan (html) to {out}\n"
    assert out.read_text(encoding="utf-8").startswith("<!DOCTYPE html>")
    refused = tde("render", "report", "-o", str(followed / "updates" / "x.md"), cwd=followed)
    assert refused.exit_code == 1


@pytest.mark.parametrize("fmt", FORMATS)
def test_hostile_text_in_updates_and_outcomes_is_escaped(tde: Callable[..., Run], followed: Path, fmt: str) -> None:
    """Markup typed into an update's body or an outcome's indicator is shown as text or dropped."""
    update = followed / "updates" / "feed-is-live.md"
    update.write_text(
        update.read_text(encoding="utf-8") + '\n<script>alert(1)</script> <img src=x onerror="alert(2)">\n'
        "[click](javascript:alert(3))\n",
        encoding="utf-8",
    )
    plan = followed / PLAN
    plan.write_text(
        plan.read_text(encoding="utf-8").replace(
            "indicator: lookups per weekday", "indicator: \"<img src=x onerror=alert(4)> lookups\""
        ),
        encoding="utf-8",
    )
    result = render(tde, followed, fmt)
    assert result.exit_code == 0, result
    text = result.stdout
    if fmt == "md":  # as a CommonMark renderer with raw HTML on would show it
        from markdown_it import MarkdownIt

        text = MarkdownIt("commonmark", {"html": True}).render(text)
    assert "<script" not in text
    assert "<img src=x" not in text
    assert 'href="javascript:' not in text


def test_the_gate_refuses_a_report_template_that_runs_code(tde: Callable[..., Run], followed: Path) -> None:
    """The report goes through the same final check as the plan: a project template with a script is refused."""
    own = followed / "templates" / "render"
    own.mkdir(parents=True)
    (own / "report.html.j2").write_text("<!DOCTYPE html><p>{{ report.plan.title }}</p><script>alert(1)</script>\n", encoding="utf-8")
    out = followed / "report.html"
    result = tde("render", "report", "-f", "html", "-o", str(out), cwd=followed)
    assert result.exit_code == 1
    assert "a <script> element: it runs code" in result.stderr
    assert not out.exists()


def test_a_private_name_in_an_update_is_refused(tde: Callable[..., Run], followed: Path) -> None:
    """Updates are public, but the redaction check still refuses a name that consent withholds."""
    update = followed / "updates" / "feed-is-live.md"
    update.write_text(update.read_text(encoding="utf-8") + "\nThanks to PRIVATE-NAME-MARKER Sam Okoro.\n", encoding="utf-8")
    result = render(tde, followed, "md")
    assert result.exit_code == 1
    assert "interviews/drivers-union-steward.md" in result.stderr
    assert result.stdout == ""


def test_the_plan_shows_structured_outcomes_as_text(tde: Callable[..., Run], followed: Path) -> None:
    """An outcome given with its indicator reads as one line in the rendered plan."""
    text = tde("render", "plan", cwd=followed).stdout
    assert "- Riders check arrivals before leaving home (lookups per weekday, target 800)" in text
    assert "- Fewer missed transfers on routes 4 and 7" in text
    assert "Outcome(" not in text


@pytest.mark.parametrize("fmt", FORMATS)
def test_each_feedback_item_shows_what_the_team_changed_for_it(tde: Callable[..., Run], followed: Path, fmt: str) -> None:
    """The plan's own ``changes`` stand under the feedback they answer; a change that answers
    private feedback as well is shown, the private item neither named nor linked."""
    plan = followed / PLAN
    text = plan.read_text(encoding="utf-8")
    changes = (
        "changes:\n"
        "  - section: Timeline\n"
        "    change: The feed now updates every 30 seconds, not every 2 minutes.\n"
        "    feedback: [portal-comment, driver-call]\n"
        "  - section: Activities\n"
        "    change: A printed sign at the ten busiest stops says how to text for times.\n"
        "    feedback: [workshop-card]\n"
    )
    head, sep, body = text.partition("\n---\n")
    plan.write_text(head + "\n" + changes.rstrip("\n") + sep + body, encoding="utf-8")
    assert tde("validate", cwd=followed).exit_code == 0
    report = render(tde, followed, fmt).stdout
    for marker in HIDDEN:
        assert marker not in report, marker
    assert report.count("What we changed") == 2
    said = report.index("Publish the feed every 30 seconds")
    assert said < report.index("The feed now updates every 30 seconds, not every 2 minutes.")
    card = report.index("Put arrival times on a sign at the stop")
    assert card < report.index("A printed sign at the ten busiest stops")
    assert report.index("The feed now updates every 30 seconds, not every 2 minutes.") < card


@pytest.mark.browser
def test_the_report_as_pdf_and_word(tde: Callable[..., Run], followed: Path) -> None:
    """PDF and Word are made from the checked HTML report, as for the plan: the same sections,
    page numbers in the PDF, Word's heading styles, and nothing consent withholds."""
    from browsing import need_chromium

    pypdf = pytest.importorskip("pypdf", reason="pypdf is in the test extra: pip install -e '.[test]'")
    docx = pytest.importorskip("docx", reason="python-docx is in the test extra: pip install -e '.[test]'")
    word = followed / "report.docx"
    assert render(tde, followed, "docx", "-o", str(word)).exit_code == 0
    document = docx.Document(str(word))
    headings = [p.text for p in document.paragraphs if p.style is not None and p.style.name == "Heading 1"]
    assert headings[:6] == [
        "1 Who we heard from", "2 Why this use case", "3 The plan in brief",
        "4 What you told us, and what we did", "5 Milestones", "6 Updates",
    ]
    text = "\n".join(p.text for p in document.paragraphs)
    text += "\n".join(c.text for t in document.tables for r in t.rows for c in r.cells)
    for marker in HIDDEN:
        assert marker not in text, marker
    assert "Fares are set by the Transit Authority" in text
    assert render(tde, followed, "pdf").exit_code == 2  # a binary format needs -o

    need_chromium()
    printed = followed / "report.pdf"
    assert render(tde, followed, "pdf", "-o", str(printed)).exit_code == 0
    pages = [page.extract_text() for page in pypdf.PdfReader(str(printed)).pages]
    assert all(f"Page {n} of {len(pages)}" in page for n, page in enumerate(pages, 1))
    whole = "\n".join(pages)
    for marker in HIDDEN:
        assert marker not in whole, marker
    assert "What you told us, and what we did" in whole


def test_a_final_translation_leaves_the_only_final_plan_the_default(tde: Callable[..., Run], followed: Path) -> None:
    """A final plan's translation is not a second final plan: without PLAN the report is still
    of the only final plan, as tde render plan never picks a translation."""
    source = (followed / PLAN).read_text(encoding="utf-8")
    translated = source.replace("id: arrivals-plan\n", "id: arrivals-plan-es\ntranslation_of: arrivals-plan\nlanguage: es\n", 1)
    (followed / "plans" / "arrivals-plan-es.md").write_text(translated, encoding="utf-8")
    from tdekit.publish.report import report_plan
    from tdekit.records.project import load_project

    assert report_plan(load_project(followed), None) == "arrivals-plan"
    out = followed / "report.md"
    result = tde("render", "report", "-o", str(out), cwd=followed)
    assert result.exit_code == 0, result
    assert result.stderr.startswith("Wrote the report of arrivals-plan (md)")


@pytest.mark.parametrize("fmt", FORMATS)
def test_big_numbers_are_written_out(tde: Callable[..., Run], followed: Path, fmt: str) -> None:
    """A target of a million or more reads as the number, grouped, in the plan, the report and
    tde status, never in scientific notation."""
    plan = followed / PLAN
    plan.write_text(plan.read_text(encoding="utf-8").replace("    target: 800\n", "    target: 1500000\n"), encoding="utf-8")
    for shown in (
        render(tde, followed, fmt).stdout,
        tde("render", "plan", "--format", fmt, cwd=followed).stdout,
        tde("status", cwd=followed).stdout,
    ):
        assert "1,500,000" in " ".join(shown.split()), shown
        assert "e+06" not in shown
