"""A comment period end to end, on a real git repository: circulate the plan, import the
comments that came back by form and by e-mail, answer them, change the plan, circulate it
again, render it (what changed, and where to comment), export what was heard, and import the
same files again (nothing added).

The files are written here in the shapes the tools really give: a Google Forms CSV (UTF-8
with a BOM, CRLF, US dates, a comment over two lines, a formula cell) and an mbox (a reply
with a quote and a signature, an HTML message with a script).
"""

from __future__ import annotations

import csv
import io
import json
import mailbox
import shutil
from collections.abc import Callable
from email.message import EmailMessage
from pathlib import Path

import pytest

from conftest import Run, git
from test_render import HIDDEN, PROJECT

PLAN = "plans/arrivals-plan.md"
#: 2026-06-05, noon UTC: the comment period opened on 2026-06-01.
DAY = "1780660800"

FORM_HEADER = [
    "Timestamp",
    "Email Address",
    "Your name",
    "Which best describes you?",
    "Which section of the draft plan is your comment about?",
    "Your comment",
    "May we publish your name with your comment?",
]
FORM_ROWS = [
    ["6/3/2026 9:14:07", "ana@example.org", "Ana Ruiz", "Resident", "5.3",
     "Please publish the feed every 30 seconds,\nnot every two minutes.", "Yes"],
    ["6/4/2026 18:02:55", "bo@example.org", "Bo Chen", "Resident", "5.2",
     "The one-page guide should come in Spanish too.", "Without my name"],
    ["6/13/2026 7:40:12", "cy@example.org", "Cy Marlowe", "Resident", "",
     "My landlord at 12 Elm Street would evict me if he saw my name on this.", ""],
    ["6/14/2026 12:00:00", "", "Dee", "Community group", "2",
     '=HYPERLINK("http://evil.example","click")', "Yes"],
]
#: What the export and the plan must never show: the private comment, every contact, the
#: name of the anonymous commenter, and the people who wrote by e-mail (private by default).
NEVER_SHOWN = (
    "Bo Chen", "Cy Marlowe", "12 Elm Street", "ana@example.org", "bo@example.org", "cy@example.org",
    "eve@example.org", "Eve Stone", "finn@example.org", "alert(", "<script",
)


def form_export(path: Path, rows: list[list[str]]) -> None:
    """A Google Forms "Download responses (.csv)" file, as Excel-friendly as Forms makes it."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(FORM_HEADER)
    writer.writerows(rows)
    path.write_bytes(b"\xef\xbb\xbf" + buffer.getvalue().encode("utf-8"))


def mail_export(path: Path) -> None:
    """An mbox of two replies to the circulation e-mail."""
    reply = EmailMessage()
    reply["From"] = "Eve Stone <eve@example.org>"
    reply["To"] = "comments@lakeside.example"
    reply["Subject"] = "Re: Comment on §5.3 of the draft plan"
    reply["Date"] = "Thu, 04 Jun 2026 08:30:00 -0500"
    reply.set_content(
        "Could the text lookup also work on route 9?\n\n"
        "-- \nEve Stone\n555-0100\n\n"
        "On Mon, 1 Jun 2026, Lakeside Open Data wrote:\n> Please comment on the draft plan.\n"
    )
    html = EmailMessage()
    html["From"] = "Finn <finn@example.org>"
    html["To"] = "comments@lakeside.example"
    html["Subject"] = "QR codes"
    html["Date"] = "Fri, 05 Jun 2026 10:00:00 -0500"
    html.set_content("<p>Could every stop show a QR code?<script>alert(1)</script></p>", subtype="html")
    box = mailbox.mbox(str(path))
    try:
        box.add(reply)
        box.add(html)
        box.flush()
    finally:
        box.close()


def answer(record: Path, disposition: str, response: str) -> None:
    """The team's decision, written as a user's editor would: two fields, every other byte kept."""
    from tdekit import set_fields

    record.write_bytes(set_fields(record.read_bytes(), {"disposition": disposition, "response": response}))


def set_in_front_matter(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, (path, old)
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def feedback_saying(root: Path, words: str) -> Path:
    """The feedback record whose text holds ``words``."""
    found = [p for p in (root / "feedback").glob("*.md") if words in p.read_text(encoding="utf-8")]
    assert len(found) == 1, (words, found)
    return found[0]


def commit_all(root: Path, message: str) -> None:
    git(root, "add", "-A")
    git(root, "commit", "--quiet", "-m", message)


@pytest.fixture
def lakeside(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The render fixture as a draft with a comment period, committed, on 2026-06-05."""
    root = tmp_path / "lakeside"
    shutil.copytree(PROJECT, root)
    set_in_front_matter(
        root / PLAN,
        "status: circulated\n",
        "status: draft\ncomment_period:\n  opens: 2026-06-01\n  email: comments@lakeside.example\n"
        "  contact: Lakeside Open Data, 555-0199\n",
    )
    with (root / "tde.yaml").open("a", encoding="utf-8") as settings:
        settings.write(
            "imports:\n  feedback:\n    columns:\n      date: Timestamp\n      contact: Email Address\n"
            "      source: Your name\n      stakeholder_type: Which best describes you?\n"
            "      section: Which section of the draft plan is your comment about?\n"
            "      body: Your comment\n      consent: May we publish your name with your comment?\n"
            '    consent_values:\n      "Yes": public\n      "Without my name": anonymous\n'
        )
    monkeypatch.setenv("SOURCE_DATE_EPOCH", DAY)
    git(root, "init", "--quiet")
    git(root, "config", "user.name", "Lakeside Open Data")
    git(root, "config", "user.email", "opendata@lakeside.example")
    commit_all(root, "Draft plan with its comment period")
    return root


def test_a_comment_period_from_posting_to_the_second_round(tde: Callable[..., Run], lakeside: Path) -> None:
    root = lakeside
    ok = tde("validate", cwd=root)
    assert ok.exit_code == 0, ok

    # Round 1.
    first = tde("circulate", "--closes", "2026-06-30", cwd=root)
    assert first.exit_code == 0, first
    assert git(root, "tag", "--list", "tde/*").split() == ["tde/arrivals-plan/round-1"]
    assert "status: circulated" in (root / PLAN).read_text(encoding="utf-8")

    # The comments come back: a form export and an mbox.
    form_export(root / "responses.csv", FORM_ROWS)
    mail_export(root / "replies.mbox")
    imported = tde("feedback", "import", "responses.csv", "--plan", "arrivals-plan", "--round", "1", cwd=root)
    assert imported.exit_code == 0, imported
    mailed = tde("feedback", "import", "replies.mbox", "--plan", "arrivals-plan", "--round", "1", cwd=root)
    assert mailed.exit_code == 0, mailed
    ana = feedback_saying(root, "every 30 seconds,")
    bo = feedback_saying(root, "in Spanish too")
    cy = feedback_saying(root, "12 Elm Street")
    dee = feedback_saying(root, "HYPERLINK")
    eve = feedback_saying(root, "route 9")
    finn = feedback_saying(root, "QR code")
    assert "consent: public" in ana.read_text(encoding="utf-8")
    assert "consent: anonymous" in bo.read_text(encoding="utf-8")
    for private in (cy, eve, finn):  # no answer, or an e-mail: private
        assert "consent: private" in private.read_text(encoding="utf-8"), private
    assert 'contact: "ana@example.org"' in ana.read_text(encoding="utf-8")
    assert "round: 1" in ana.read_text(encoding="utf-8")
    eve_text = eve.read_text(encoding="utf-8")
    assert "555-0100" not in eve_text and "Please comment on the draft plan" not in eve_text  # signature, quote cut
    assert "5.3" in eve_text  # the section, from the subject
    assert "<script" not in finn.read_text(encoding="utf-8")
    assert tde("validate", cwd=root).exit_code == 0

    # The team answers every comment and changes the plan for two of them.
    for record, disposition, response in (
        (ana, "accepted", "The feed will update every 30 seconds."),
        (bo, "accepted", "The guide will be printed in English and Spanish."),
        (cy, "partly_accepted", "Thank you; we will not publish your comment."),
        (dee, "declined", "We could not follow the link."),
        (eve, "partly_accepted", "Route 9 joins the pilot's second phase."),
        (finn, "declined", "Stops have no room for a second sign."),
    ):
        answer(record, disposition, response)
    set_in_front_matter(root / PLAN, "    when: 2026-09-01\n", "    when: 2026-08-15\n")
    set_in_front_matter(
        root / PLAN,
        "formality: light\n",
        "formality: light\nchanges:\n  - section: Timeline\n"
        "    change: The feed is published two weeks earlier, updating every 30 seconds.\n"
        f"    feedback: [{ana.stem}, {cy.stem}]\n",
    )
    answered = tde("validate", cwd=root)
    assert answered.exit_code == 0, answered
    commit_all(root, "Answered round 1 and revised the plan")

    # Round 2.
    second = tde("circulate", "--closes", "2026-07-31", cwd=root)
    assert second.exit_code == 0, second
    assert git(root, "tag", "--list", "tde/*").split() == ["tde/arrivals-plan/round-1", "tde/arrivals-plan/round-2"]

    # The rendered plan says what changed since round 1, beside the team's own account, and
    # where to comment on each section.
    markdown = tde("render", "plan", "--format", "md", cwd=root)
    assert markdown.exit_code == 0, markdown
    html = tde("render", "plan", "--format", "html", cwd=root)
    assert html.exit_code == 0, html
    for text in (markdown.stdout, html.stdout):
        assert "Since round 1" in text
        assert "2026-08-15" in text and "2026-09-01" in text  # the milestone as it was, and is
        assert "The feed is published two weeks earlier" in text
        assert "1 comment not published" in text  # Cy's comment: counted, never shown
        assert "2026-07-31" in text  # the closing date, in the banner
        assert "Please publish the feed every 30 seconds" in text and "Ana Ruiz" in text
        for words in (*NEVER_SHOWN, *HIDDEN):
            assert words not in text, words
    assert 'href="mailto:comments@lakeside.example?subject=' in html.stdout
    assert "Comment on §5.3" in html.stdout
    assert "It led to changes in" in markdown.stdout  # Ana's item says where it led

    # The export: what was heard and done, as open data.
    exported = tde("export", "feedback", "--plan", "arrivals-plan", "--format", "csv", cwd=root)
    assert exported.exit_code == 0, exported
    for words in (*NEVER_SHOWN, *HIDDEN, "My landlord"):
        assert words not in exported.stdout, words
    cells = [cell for row in csv.reader(io.StringIO(exported.stdout)) for cell in row]
    assert cells and not [c for c in cells if c[:1] in ("=", "+", "-", "@")]
    assert "'=HYPERLINK" in exported.stdout  # Dee's formula, kept as text
    assert "The guide will be printed in English and Spanish." in exported.stdout  # Bo's words are public
    as_json = json.loads(tde("export", "feedback", "--plan", "arrivals-plan", "--format", "json", cwd=root).stdout)
    assert as_json["withheld"] >= 3  # Cy, Eve and Finn at least
    assert "Bo Chen" not in json.dumps(as_json)

    # The same files again: nothing added, nothing changed.
    assert git(root, "status", "--porcelain") == ""  # tde circulate committed the plan
    for source in ("responses.csv", "replies.mbox"):
        again = tde("feedback", "import", source, "--plan", "arrivals-plan", "--round", "1", cwd=root)
        assert again.exit_code == 0, again
    assert git(root, "status", "--porcelain") == ""
