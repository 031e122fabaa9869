"""``tde render plan --format pdf``: the checked HTML printed by the system's Chromium.

The example's PDF has selectable text with the numbered sections, page numbers on every page,
bookmarks, no table row split across two pages and no heading left at the foot of one (read
from the tagged PDF's structure tree, as tests/test_browser.py does), and none of what consent
withholds; hostile record text is text, and its only links go to http, https or mailto. These
need Chromium: skipped without it outside CI, failed in CI (tests/browsing.py). Without a
browser the command exits 2 saying how to get one; a browser that fails writes nothing.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

import pytest

from browsing import need_chromium
from conftest import EXAMPLE_WITHHELD, Run
from test_browser import pdf_structure, split_rows, stranded_headings
from test_render_safety import hostile  # noqa: F401  (a fixture)

pypdf = pytest.importorskip("pypdf", reason="pypdf is in the test extra: pip install -e '.[test]'")


def render_pdf(tde: Callable[..., Run], root: Path) -> Path:
    out = root.parent / "plan.pdf"
    result = tde("render", "plan", "--format", "pdf", "-o", str(out), cwd=root)
    assert result.exit_code == 0, result
    return out


def page_texts(pdf: Path) -> list[str]:
    return [" ".join(page.extract_text().split()) for page in pypdf.PdfReader(str(pdf)).pages]


def bookmarks(outline: list[object]) -> list[str]:
    titles: list[str] = []
    for item in outline:
        titles.extend(bookmarks(item) if isinstance(item, list) else [str(item.title)])  # type: ignore[attr-defined]
    return titles


@pytest.mark.browser
def test_the_example_as_pdf(tde: Callable[..., Run], example: Path) -> None:
    need_chromium()
    pdf = render_pdf(tde, example)
    data = pdf.read_bytes()
    assert data.startswith(b"%PDF")
    pages = page_texts(pdf)
    assert 2 <= len(pages) <= 10
    text = " ".join(pages)
    for heading in ("1 Overview", "2 The use case and why we chose it", "5.3 Timeline", "6.2 Feedback log", "F1 "):
        assert heading in text, heading
    for number, page in enumerate(pages, 1):
        assert f"Page {number} of {len(pages)}" in page, number
    for marker in EXAMPLE_WITHHELD:
        assert marker not in text, marker
    assert "file://" not in text  # no browser header or footer with the temporary file's address
    titles = bookmarks(pypdf.PdfReader(str(pdf)).outline)
    assert "5.3 Timeline" in " ".join(titles)
    tree = pdf_structure(data)
    assert sum(1 for element in tree.walk() if element.role == "TR") >= 30
    assert split_rows(tree) == []
    assert stranded_headings(tree) == []
    assert b"/JavaScript" not in data and b"/Launch" not in data


@pytest.mark.browser
def test_hostile_text_in_a_pdf_is_text(tde: Callable[..., Run], hostile: Path) -> None:  # noqa: F811
    need_chromium()
    pdf = render_pdf(tde, hostile)
    text = " ".join(page_texts(pdf))
    assert "<script>alert('TITLE')</script> {{ 7*7 }} plan" in text
    assert "javascript:alert('RESOURCES')" in text
    links = [
        str(annotation.get_object()["/A"]["/URI"])
        for page in pypdf.PdfReader(str(pdf)).pages
        for annotation in page.get("/Annots") or []
        if "/URI" in annotation.get_object().get("/A", {})
    ]
    assert "https://example.org/ok" in links
    assert all(link.startswith(("https://", "http://", "mailto:")) for link in links), links
    assert b"/JavaScript" not in pdf.read_bytes()


def only_git_on_path(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """PATH with git alone (the plan's history needs it), so that no browser is found."""
    import shutil

    folder = tmp_path / "bin"
    folder.mkdir()
    git = shutil.which("git")
    if git:
        (folder / "git").symlink_to(git)
    monkeypatch.setenv("PATH", str(folder))
    monkeypatch.delenv("TDE_BROWSER", raising=False)


def test_without_a_browser_exit_2_says_how_to_get_one(
    tde: Callable[..., Run], example: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    only_git_on_path(tmp_path, monkeypatch)
    out = example.parent / "plan.pdf"
    result = tde("render", "plan", "--format", "pdf", "-o", str(out), cwd=example)
    assert result.exit_code == 2, result
    assert "cannot make a PDF: no Chromium or Chrome found" in result.stderr
    assert "apt install chromium" in result.stderr and "TDE_BROWSER" in result.stderr
    assert not out.exists()

    monkeypatch.setenv("TDE_BROWSER", "no-such-browser")
    result = tde("render", "plan", "--format", "pdf", "-o", str(out), cwd=example)
    assert result.exit_code == 2, result
    assert "TDE_BROWSER names 'no-such-browser', which is not a program here" in result.stderr
    assert not out.exists()


@pytest.mark.skipif(os.name != "posix", reason="the stand-in browser is a shell script")
def test_a_browser_that_fails_writes_nothing(
    tde: Callable[..., Run], example: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A browser that exits with an error, or writes something that is no PDF: exit 1, no file,
    and an existing file at -o left as it was."""
    only_git_on_path(tmp_path, monkeypatch)
    out = example.parent / "plan.pdf"
    out.write_bytes(b"the previous version")
    for script, said in (
        ("echo 'sandbox exploded' >&2; exit 3", "exited with 3 and wrote no PDF (sandbox exploded)"),
        ('for a in "$@"; do case $a in --print-to-pdf=*) echo not-a-pdf > "${a#--print-to-pdf=}";; esac; done',
         "exited with 0 and wrote no PDF"),
    ):
        fake = tmp_path / "fake-chromium"
        fake.write_text(f"#!/bin/sh\n{script}\n", encoding="utf-8")
        fake.chmod(0o755)
        monkeypatch.setenv("TDE_BROWSER", str(fake))
        result = tde("render", "plan", "--format", "pdf", "-o", str(out), cwd=example)
        assert result.exit_code == 1, result
        assert said in result.stderr
        assert out.read_bytes() == b"the previous version"


def browser_writing(made: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """TDE_BROWSER: a stand-in browser that "prints" the file ``made``."""
    import shutil

    fake = tmp_path / "fake-chromium"
    copy = shutil.which("cp", path=os.defpath) or "cp"
    fake.write_text(
        f'#!/bin/sh\nfor a in "$@"; do case $a in --print-to-pdf=*) {copy} {made} "${{a#--print-to-pdf=}}";; esac; done\n',
        encoding="utf-8",
    )
    fake.chmod(0o755)
    monkeypatch.setenv("TDE_BROWSER", str(fake))


@pytest.mark.skipif(os.name != "posix", reason="the stand-in browser is a shell script")
@pytest.mark.parametrize(("pdf", "said"), [
    (rb"/A << /S /URI /URI (javascript:alert\(1\)) >>", "a link may only go to http, https, mailto"),
    (rb"/A << /S /URI /URI <6A617661736372697074>  >>", "a link may only go to http, https, mailto"),
    (rb"/OpenAction << /S /JavaScript /JS (app.alert\(1\)) >>", "<object> element"),
    (rb"/A << /S /Launch /F (calc.exe) >>", "<object> element"),
])
def test_the_finished_pdf_is_checked_again(
    tde: Callable[..., Run], example: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, pdf: bytes, said: str
) -> None:
    """A PDF whose links go elsewhere than http, https or mailto, or that runs code or opens a
    program, is refused though the HTML it was printed from passed (a stand-in browser makes it)."""
    only_git_on_path(tmp_path, monkeypatch)
    made = tmp_path / "made.pdf"
    made.write_bytes(b"%PDF-1.7\n1 0 obj\n<< " + pdf + b" >>\nendobj\n2 0 obj\n<< /Length 9 >>\nstream\n/JS (x)\nendstream\nendobj\n%%EOF\n")
    browser_writing(made, tmp_path, monkeypatch)
    out = example.parent / "plan.pdf"
    result = tde("render", "plan", "--format", "pdf", "-o", str(out), cwd=example)
    assert result.exit_code == 1, result
    assert said in result.stderr
    assert not out.exists()


@pytest.mark.skipif(os.name != "posix", reason="the stand-in browser is a shell script")
def test_what_a_stream_holds_is_not_an_action(
    tde: Callable[..., Run], example: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Bytes inside a stream (compressed page content could spell anything) refuse nothing."""
    only_git_on_path(tmp_path, monkeypatch)
    made = tmp_path / "made.pdf"
    made.write_bytes(b"%PDF-1.7\n1 0 obj\n<< /A << /S /URI /URI (https://example.org/) >> >>\nendobj\n"
                     b"2 0 obj\n<< /Length 20 >>\nstream\n/JS /Launch /URI (javascript:x)\nendstream\nendobj\n%%EOF\n")
    browser_writing(made, tmp_path, monkeypatch)
    out = example.parent / "plan.pdf"
    result = tde("render", "plan", "--format", "pdf", "-o", str(out), cwd=example)
    assert result.exit_code == 0, result
    assert out.read_bytes() == made.read_bytes()


@pytest.mark.browser
def test_the_printing_browser_sends_nothing() -> None:
    """A page asking for pictures and a style sheet from a server on this machine (by address
    and by name) is printed without one request reaching it. The gate refuses such a page before
    it is printed; this is the second line of defence, so it is given the page directly."""
    import http.server
    import threading

    from tdekit.publish import printing

    need_chromium()
    requests: list[str] = []

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            requests.append(self.path)
            self.send_response(200)
            self.end_headers()

        def log_message(self, *args: object) -> None:
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    port = server.server_address[1]
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        data = printing.to_pdf(
            f'<html><head><link rel="stylesheet" href="http://127.0.0.1:{port}/sheet.css"></head><body>'
            f'<p>PRINTED-TEXT</p><img src="http://127.0.0.1:{port}/by-address.png">'
            f'<img src="http://localhost:{port}/by-name.png"></body></html>'
        )
    finally:
        server.shutdown()
        server.server_close()
    assert data.startswith(b"%PDF")
    assert requests == []
