"""tde feedback import from e-mail (.eml, a folder, mbox), and tde export feedback."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import Run
from test_feedback_import import (
    GOOGLE_HEADER,
    GOOGLE_ROWS,
    PLAN,
    imported,
    names,
    project,
    run_import,
)

__all__ = ["project"]  # the fixture, used by name

PLAIN = """From: Ana Quintero <ana.quintero@example.org>
To: opendata@riverton.example
Subject: Re: Comment on §4 of the eviction filings plan
Date: Tue, 09 Jun 2026 14:03:00 -0500
Message-ID: <1@example.org>
Content-Type: text/plain; charset=utf-8

Please publish the counts every month, not every quarter.

--
Ana Quintero
Tenant volunteer

On Mon, Jun 8, 2026 at 9:00 AM Open Data <opendata@riverton.example> wrote:
> Here is the draft plan.
"""
HTML_ONLY = """From: "Ben O." <ben@example.org>
Subject: Thoughts
Date: Wed, 10 Jun 2026 08:00:00 +0000
MIME-Version: 1.0
Content-Type: text/html; charset=utf-8

<html><head><style>p {color: red}</style><script>alert('x')</script></head>
<body><p>Add a <b>Spanish</b> summary.</p><blockquote>Earlier message</blockquote></body></html>
"""

OUTLOOK = """From: Cy Lee <cy@example.org>
Subject: RE: Draft plan
Date: Thu, 11 Jun 2026 17:45:00 +0000
Content-Type: text/plain; charset=windows-1252
Content-Transfer-Encoding: quoted-printable

I agree with the privacy rules =96 keep them.

From: Open Data <opendata@riverton.example>
Sent: Monday, June 8, 2026 9:00 AM
To: Cy Lee <cy@example.org>
Subject: Draft plan

Old text of the invitation.
"""


def mbox(*messages: str) -> str:
    return "".join(f"From sender@example.org Tue Jun  9 14:03:00 2026\n{m}\n" for m in messages)


def test_eml_files_and_a_folder_of_them_are_read(project: Path, tmp_path: Path, tde: Callable[..., Run]) -> None:
    """Display name, date, plain part or the HTML part's text; reply and signature cut; §N as section."""
    folder = tmp_path / "mail"
    folder.mkdir()
    (folder / "a.eml").write_text(PLAIN, encoding="utf-8")
    (folder / "b.eml").write_text(HTML_ONLY, encoding="utf-8")
    (folder / "c.eml").write_text(OUTLOOK, encoding="utf-8")
    before = names(project)
    result = run_import(tde, project, folder, "--round", "1")
    assert result.exit_code == 0, result
    files = imported(project, before)
    ana = next(t for t in files.values() if "Ana Quintero" in t)
    assert "channel: email" in ana and "consent: private" in ana and 'section: "§4"' in ana
    assert "date: 2026-06-09" in ana and 'contact: "ana.quintero@example.org"' in ana
    assert "title: Comment on §4 of the eviction filings plan" in ana
    assert ana.endswith("\n\nPlease publish the counts every month, not every quarter.\n")
    ben = next(t for t in files.values() if "Ben O." in t)
    assert ben.endswith("\n\nAdd a Spanish summary.\n") and "alert" not in ben and "Earlier" not in ben
    cy = next(t for t in files.values() if "Cy Lee" in t)
    assert cy.endswith("\n\nI agree with the privacy rules \u2013 keep them.\n") and "title: Draft plan" in cy
    assert tde("validate", "--strict", cwd=project).exit_code == 0
    again = run_import(tde, project, folder / "a.eml")
    assert "0 new items, 1 imported before" in again.stdout


def test_an_mbox_is_read_message_by_message(project: Path, tmp_path: Path, tde: Callable[..., Run]) -> None:
    box = tmp_path / "comments.mbox"
    box.write_text(mbox(PLAIN, HTML_ONLY.replace("Thoughts", "§2: >From the start")), encoding="utf-8")
    before = names(project)
    result = run_import(tde, project, box)
    assert result.exit_code == 0, result
    assert "e-mail, 2 messages" in result.stdout
    assert len(imported(project, before)) == 2
    undated = tmp_path / "undated.mbox"
    undated.write_text(mbox(PLAIN.replace("Date: Tue, 09 Jun 2026 14:03:00 -0500\n", "")), encoding="utf-8")
    refused = run_import(tde, project, undated)
    assert refused.exit_code == 1 and "undated.mbox: undated.mbox message 1: it has no date" in refused.stderr
    huge = tmp_path / "huge.eml"
    huge.write_text(PLAIN.replace("Please publish", "x" * 10_000_000 + " Please publish"), encoding="utf-8")
    refused = run_import(tde, project, huge)
    assert refused.exit_code == 1 and "huge.eml: huge.eml: its text is longer than 100,000 characters" in refused.stderr


def _rows(text: str) -> list[list[str]]:
    return list(csv.reader(io.StringIO(text, newline="")))


def test_export_shows_no_private_text_no_contact_and_no_anonymous_name(
    project: Path, tmp_path: Path, tde: Callable[..., Run]
) -> None:
    source = tmp_path / "responses.csv"
    source.write_text(GOOGLE_HEADER + "".join(GOOGLE_ROWS), encoding="utf-8", newline="")
    assert run_import(tde, project, source, "--round", "2").exit_code == 0
    result = tde("export", "feedback", "--plan", PLAN, cwd=project)
    assert result.exit_code == 0, result
    text = result.stdout
    assert "example.org" not in text and "Ben Okafor" not in text and "Cy Private" not in text
    assert "afraid" not in text
    rows = _rows(text)
    assert rows[0] == ["plan", "number", "date", "source", "stakeholder_type", "channel", "section", "text",
                       "disposition", "response", "round"]
    ben = next(r for r in rows if r[7] == "Please keep addresses out of every file.")
    assert ben[3] == "A community group" and ben[4] == "community_group" and ben[10] == "2"
    ana = next(r for r in rows if r[3] == "Ana Quintero")
    assert ana[7] == "Publish monthly,\nand in Spanish too." and ana[6] == "§3"
    private = sum(1 for p in (project / "feedback").glob("*.md") if "consent: private" in p.read_text())
    assert rows[-1] == [f"Withheld: {private} item{'s' if private != 1 else ''} whose author"
                        f"{'s' if private != 1 else ''} did not agree to publication "
                        f"{'are' if private != 1 else 'is'} counted here only."]
    data = json.loads(tde("export", "feedback", "--plan", PLAN, "-f", "json", cwd=project).stdout)
    assert data["withheld"] == private and len(data["items"]) == len(rows) - 2
    assert [i["number"] for i in data["items"]] == [f"F{n}" for n in range(1, len(data["items"]) + 1)]


def test_export_neutralises_formula_cells_and_refuses_a_leak(
    project: Path, tmp_path: Path, tde: Callable[..., Run]
) -> None:
    source = tmp_path / "hostile.csv"
    source.write_text(
        "Timestamp,Your name,Your comment,May we publish your name with your comment?,Email\n"
        '2026-06-02,"=HYPERLINK(""http://evil.example"",""x"")",+1 more lanes,Yes,eve@example.org\n'
        "2026-06-03,@Eve,-5 for this plan,Yes,\n",
        encoding="utf-8")
    assert run_import(tde, project, source).exit_code == 0
    out = tmp_path / "feedback.csv"
    result = tde("export", "feedback", "-o", str(out), cwd=project)
    assert result.exit_code == 0, result
    raw = out.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    cells = [cell for row in _rows(raw.decode("utf-8-sig")) for cell in row]
    assert "'=HYPERLINK(\"http://evil.example\",\"x\")" in cells and "'+1 more lanes" in cells
    assert "'@Eve" in cells and "'-5 for this plan" in cells
    assert not any(cell.startswith(("=", "+", "-", "@", "\t", "\r")) for cell in cells)
    leaky = next(p for p in (project / "feedback").glob("*.md") if "lanes" in p.read_text())
    leaky.write_text(leaky.read_text() + "\nWrite to eve@example.org.\n", encoding="utf-8")
    refused = tde("export", "feedback", cwd=project)
    assert refused.exit_code == 1 and refused.stdout == ""
    assert "holds the contact of feedback/" in refused.stderr and "which no output shows" in refused.stderr
    assert tde("render", "plan", PLAN, cwd=project).exit_code == 1


CELL = st.text(st.characters(exclude_categories=["Cs"]), max_size=40)


@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(rows=st.lists(st.tuples(CELL, CELL, st.sampled_from(["Yes", "Without my name", "", "No"])),
                     min_size=1, max_size=4))
def test_any_imported_text_exports_safely(
    rows: list[tuple[str, str, str]], project: Path, tmp_path_factory: pytest.TempPathFactory,
    tde: Callable[..., Run],
) -> None:
    """Whatever the cells, the import and the export succeed or refuse cleanly, and the export
    starts no cell with a formula character and shows no contact."""
    folder = tmp_path_factory.mktemp("prop")
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer)
    writer.writerow(["Timestamp", "Your name", "Your comment", "May we publish your name with your comment?", "Email"])
    for number, (name, comment, answer) in enumerate(rows):
        writer.writerow([f"2026-07-{number + 1:02d}", name, comment, answer, f"p{number}@example.org"])
    source = folder / "rows.csv"
    source.write_text(buffer.getvalue(), encoding="utf-8", newline="")
    before = names(project)
    result = run_import(tde, project, source)
    assert result.exit_code in (0, 1), result
    exported = tde("export", "feedback", "--plan", PLAN, cwd=project)
    assert exported.exit_code in (0, 1), exported
    if exported.exit_code == 1:
        assert "refusing the rendered feedback export" in exported.stderr
    for row in _rows(exported.stdout):
        assert not any(cell.startswith(("=", "+", "-", "@", "\t", "\r", "\n")) for cell in row)
    assert "@example.org" not in exported.stdout
    for path in (project / "feedback").glob("*.md"):
        if path.name not in before:
            path.unlink()
