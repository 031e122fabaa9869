"""``tde render plan --format docx``: a Word file made from the checked HTML, checked again.

The example's Word file has the HTML's numbered sections as Word headings (what the navigation
pane lists), its tables as Word tables, its feedback log, and none of what consent withholds;
hostile record text stays text and no link but http, https and mailto survives. The finished
file is read again by the final checks (a Word file holding a withheld name or a javascript:
link is refused even when the HTML was clean). Without python-docx the command says which
extra to install. Where LibreOffice is installed it opens the file without repair.
"""

from __future__ import annotations

import io
import re
import shutil
import subprocess
import sys
import zipfile
from collections.abc import Callable
from html.parser import HTMLParser
from pathlib import Path

import pytest

from conftest import EXAMPLE_WITHHELD, Run
from test_render_safety import hostile  # noqa: F401  (a fixture)

docx = pytest.importorskip("docx", reason="python-docx is in the test extra: pip install -e '.[test]'")



class Headings(HTMLParser):
    """The text of each h1 to h4 outside the contents, in order, as (level, text)."""

    def __init__(self) -> None:
        super().__init__()
        self.found: list[tuple[int, str]] = []
        self.level = 0
        self.in_nav = False
        self.text = ""

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "nav":
            self.in_nav = True
        elif re.fullmatch(r"h[1-4]", tag) and not self.in_nav:
            self.level, self.text = int(tag[1]), ""

    def handle_endtag(self, tag: str) -> None:
        if tag == "nav":
            self.in_nav = False
        elif self.level and tag == f"h{self.level}":
            self.found.append((self.level, " ".join(self.text.split())))
            self.level = 0

    def handle_data(self, data: str) -> None:
        if self.level:
            self.text += data


def all_text(document: object) -> str:
    """Every paragraph and table cell of a python-docx document, and its properties."""
    parts = [p.text for p in document.paragraphs]  # type: ignore[attr-defined]
    for table in document.tables:  # type: ignore[attr-defined]
        parts.extend(cell.text for row in table.rows for cell in row.cells)
    props = document.core_properties  # type: ignore[attr-defined]
    parts.extend([props.title, props.author, props.comments, props.subject])
    return "\n".join(parts)


def render(tde: Callable[..., Run], root: Path, fmt: str, name: str) -> Path:
    out = root.parent / name
    result = tde("render", "plan", "--format", fmt, "-o", str(out), cwd=root)
    assert result.exit_code == 0, result
    assert f"({fmt}) to {out}" in result.stderr
    return out


def test_the_example_in_word(tde: Callable[..., Run], example: Path) -> None:
    """Title, numbered sections as Heading 1 to 3 in the HTML's order, tables, the feedback log."""
    word = docx.Document(str(render(tde, example, "docx", "plan.docx")))
    html = render(tde, example, "html", "plan.html").read_text(encoding="utf-8")
    parsed = Headings()
    parsed.feed(html)
    styles = {1: "Title", 2: "Heading 1", 3: "Heading 2", 4: "Heading 3"}
    expected = [(styles[level], text) for level, text in parsed.found]
    headings = [(p.style.name, p.text) for p in word.paragraphs if p.style.name in styles.values()]
    assert headings == expected
    numbered = [text for style, text in headings if style == "Heading 1"]
    assert numbered[:3] == ["1 Overview", "2 The use case and why we chose it", "3 Who it is for"]
    assert ("Heading 2", "5.3 Timeline") in headings
    assert ("Heading 2", "6.2 Feedback log") in headings
    assert any(style == "Heading 3" and text.startswith("F1 ") for style, text in headings)

    assert len(word.tables) >= 5
    criteria = word.tables[0]
    assert [c.text for c in criteria.rows[0].cells][:3] == ["Criterion", "Weight", "Rating"]
    xml = criteria._tbl.xml
    assert xml.count("<w:tblHeader") == 1 and xml.count("<w:cantSplit") == len(criteria.rows)
    assert criteria.rows[0].cells[0].paragraphs[0].runs[0].bold

    text = all_text(word)
    assert "People who asked not to be named are shown by role only." in text
    assert "Our response" in text
    for marker in EXAMPLE_WITHHELD:
        assert marker not in text, marker
    assert word.core_properties.language == "en"
    assert word.core_properties.title.startswith("Draft plan: monthly eviction filings")
    assert word.core_properties.author == ""  # not python-docx's name


BODY = """\
## Payloads

Some `inline code` and **bold** and *slanted* words.

3. third
4. fourth
   - nested bullet

| Month | Filings |
|---|---|
| May | 41 |

```
line one
  line two
```

> quoted words

[fine link](https://example.org/ok) and [mail us](mailto:team@example.org)
"""


def test_a_body_keeps_its_structure(tde: Callable[..., Run], example: Path) -> None:
    """Markdown in a body: headings numbered under their section, lists with their numbers and
    levels, tables, code with its spaces, quotes, inline emphasis and links."""
    plan = example / "plans" / "eviction-filings-release-plan.md"
    front, _, _ = plan.read_text(encoding="utf-8").partition("\n---\n")
    plan.write_text(front + "\n---\n\n" + BODY, encoding="utf-8")
    word = docx.Document(str(render(tde, example, "docx", "body.docx")))
    paragraphs = [(p.style.name, p.text) for p in word.paragraphs]
    start = paragraphs.index(("Heading 2", "1.1 Payloads"))
    assert paragraphs[start + 1:start + 4] == [
        ("Normal", "Some inline code and bold and slanted words."),
        ("List Paragraph", "3. third"),
        ("List Paragraph", "4. fourth"),
    ]
    assert paragraphs[start + 4] == ("List Bullet 2", "nested bullet")
    assert ("Normal", "line one\n  line two") in paragraphs
    assert ("Quote", "quoted words") in paragraphs
    runs = {run.text: run for run in word.paragraphs[start + 1].runs}
    assert runs["bold"].bold and runs["slanted"].italic and runs["inline code"].font.name == "Courier New"
    table = next(t for t in word.tables if t.rows[0].cells[0].text == "Month")
    assert [[c.text for c in row.cells] for row in table.rows] == [["Month", "Filings"], ["May", "41"]]
    hyperlinks = [(link.address, link.text) for p in word.paragraphs for link in p.hyperlinks]
    assert ("https://example.org/ok", "fine link") in hyperlinks
    assert ("mailto:team@example.org", "mail us") in hyperlinks


def test_hostile_text_stays_text(tde: Callable[..., Run], hostile: Path) -> None:  # noqa: F811
    """Scripts are shown as typed; only http, https and mailto links become Word hyperlinks."""
    out = render(tde, hostile, "docx", "hostile.docx")
    word = docx.Document(str(out))
    text = all_text(word)
    assert "<script>alert('TITLE')</script> {{ 7*7 }} plan" in text
    assert "javascript:alert('RESOURCES')" in text  # front matter is text, not a link
    with zipfile.ZipFile(out) as archive:
        rels = "".join(archive.read(n).decode() for n in archive.namelist() if n.endswith(".rels"))
        names = archive.namelist()
    targets = re.findall(r'Target="([^"]*)"[^>]*TargetMode="External"', rels)
    assert "https://example.org/ok" in targets
    assert targets and all(t.startswith(("https://", "http://", "mailto:")) for t in targets), targets
    assert "https://evil.example/steward" not in targets
    assert not [n for n in names if re.search(r"vba|activex|embeddings", n, re.I)]


def test_the_finished_word_file_is_checked_again(
    tde: Callable[..., Run], example: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A Word file that holds a withheld name, or a javascript: link, is refused though the
    HTML it was made from passed: the final checks read the finished file."""
    from docx.opc.constants import RELATIONSHIP_TYPE

    from tdekit.publish import formats, wordfile

    def leaking(html: str) -> bytes:
        word = docx.Document(io.BytesIO(wordfile.to_docx(html)))
        word.add_paragraph("Notes from Sam Whitaker")
        out = io.BytesIO()
        word.save(out)
        return out.getvalue()

    def scripted(html: str) -> bytes:
        word = docx.Document(io.BytesIO(wordfile.to_docx(html)))
        word.part.relate_to("javascript:alert(1)", RELATIONSHIP_TYPE.HYPERLINK, is_external=True)
        out = io.BytesIO()
        word.save(out)
        return out.getvalue()

    for finish, said in ((leaking, "which its consent (private) withholds"), (scripted, "a link may only go to")):
        spec = formats.FORMATS["docx"]
        monkeypatch.setitem(formats.FORMATS, "docx", formats.Format(
            "docx", spec.suffix, html=True, filters=spec.filters, reads_as="html",
            finish=finish, reread=spec.reread, binary=True,
        ))
        out = example.parent / "refused.docx"
        result = tde("render", "plan", "--format", "docx", "-o", str(out), cwd=example)
        assert result.exit_code == 1, result
        assert said in result.stderr
        assert not out.exists()


def test_without_python_docx_the_extra_is_named(
    tde: Callable[..., Run], example: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """No python-docx: exit 2, naming the extra that brings it; nothing written."""
    monkeypatch.setitem(sys.modules, "docx", None)  # import docx now raises ImportError
    out = example.parent / "plan.docx"
    result = tde("render", "plan", "--format", "docx", "-o", str(out), cwd=example)
    assert result.exit_code == 2, result
    assert "python-docx is not installed" in result.stderr
    assert "pip install 'tdekit[docx]'" in result.stderr
    assert "Traceback" not in result.stderr
    assert not out.exists()


@pytest.mark.parametrize("fmt", ["docx", "pdf"])
def test_a_binary_format_needs_a_file(tde: Callable[..., Run], example: Path, fmt: str) -> None:
    """Word and PDF are not printed to a terminal: without -o, a usage error saying so."""
    result = tde("render", "plan", "--format", fmt, cwd=example)
    assert result.exit_code == 2, result
    assert f"--format {fmt} makes a binary file: give -o FILE" in result.stderr
    assert result.stdout == ""


def test_libreoffice_opens_it_without_repair(tde: Callable[..., Run], example: Path, tmp_path: Path) -> None:
    """LibreOffice converts the file to PDF headless (a file it must repair fails to convert:
    "source file could not be loaded", no PDF), with the headings as its bookmarks.

    Skipped where LibreOffice is not installed, in CI too: unlike Chromium, which the browser
    tests need and CI installs (a missing browser fails there), LibreOffice is no tool of the
    test suite's; python-docx's own reading of the file (the tests above) runs everywhere.
    """
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if soffice is None:
        pytest.skip("LibreOffice (soffice) is not installed; the Word file was checked with python-docx only")
    out = render(tde, example, "docx", "plan.docx")
    converted = tmp_path / "converted"
    done = subprocess.run(
        [soffice, "--headless", f"-env:UserInstallation={(tmp_path / 'lo-profile').as_uri()}",
         "--convert-to", "pdf", "--outdir", str(converted), str(out)],
        capture_output=True, text=True, timeout=180, check=False,
    )
    assert done.returncode == 0, done.stderr
    pdf = converted / "plan.pdf"
    assert pdf.is_file() and pdf.read_bytes().startswith(b"%PDF"), done.stdout + done.stderr
    assert "repair" not in (done.stdout + done.stderr).lower()
    pypdf = pytest.importorskip("pypdf")
    reader = pypdf.PdfReader(str(pdf))
    text = " ".join(" ".join(page.extract_text().split()) for page in reader.pages)
    assert "5.3 Timeline" in text and "F1 Request" in text
    # LibreOffice's bookmarks come from the heading styles, as Word's navigation pane does.
    top = [item.title for item in reader.outline if not isinstance(item, list)]
    assert top[:3] == ["1 Overview", "2 The use case and why we chose it", "3 Who it is for"]
