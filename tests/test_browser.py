"""The rendered plan in a real browser: headless Chromium driven over the DevTools protocol.

The page must load with no console error, no request other than the file itself, fit a phone
screen without sideways scrolling, and print to Letter and to A4 paper, each a PDF of that
paper's size: sections flow on, so the example takes at most 10 pages, with no table row split
across two and no heading left at the foot of a page (both read from the structure tree of
the tagged PDF Chromium writes). Screenshots at phone and desktop widths and both
PDFs are kept in test-artifacts/ (not in git) for people to look at. The browser is driven by
tests/browsing.py; tests/test_accessibility.py holds the accessibility and HTML checks.
"""

from __future__ import annotations

import base64
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from browsing import browser, need_chromium
from conftest import Run

ARTIFACTS = Path(__file__).resolve().parent.parent / "test-artifacts"
#: Paper the plan must print to: (width, height) in inches, as Page.printToPDF takes them.
PAPERS = {"letter": (8.5, 11.0), "a4": (8.27, 11.69)}


def pdf_pages(data: bytes) -> int:
    """The number of page objects in a PDF."""
    return len(re.findall(rb"/Type\s*/Page(?![a-zA-Z])", data))


def pdf_page_sizes(data: bytes) -> set[tuple[int, int]]:
    """The distinct page sizes of a PDF, in whole points (1/72 inch), from each /MediaBox."""
    number = rb"(-?[0-9.]+)"
    boxes = re.findall(rb"/MediaBox\s*\[\s*" + rb"\s+".join([number] * 4) + rb"\s*\]", data)
    return {(round(float(x1) - float(x0)), round(float(y1) - float(y0))) for x0, y0, x1, y1 in boxes}


@dataclass
class Tagged:
    """An element of a tagged PDF's structure tree: its role (H2, TR, TH, P...), the pages its
    content is on (1-based), its attributes' text and its children, in reading order."""

    role: str
    pages: list[int]
    attributes: bytes
    kids: list[Tagged]

    def all_pages(self) -> list[int]:
        return sorted({*self.pages, *(page for kid in self.kids for page in kid.all_pages())})

    def walk(self) -> Iterator[Tagged]:
        yield self
        for kid in self.kids:
            yield from kid.walk()


def pdf_structure(data: bytes) -> Tagged:
    """The structure tree of a tagged PDF as Chromium writes it (its dictionaries uncompressed)."""
    objects = {int(m[1]): m[2] for m in re.finditer(rb"(?m)^(\d+) 0 obj\s*(.*?)\bendobj", data, re.S)}

    def refs(text: bytes) -> list[int]:
        return [int(n) for n in re.findall(rb"(\d+) 0 R", text)]

    def leaves(number: int) -> list[int]:  # the pages under a node of the page tree, in order
        body = objects[number]
        if re.search(rb"/Type\s*/Page\b", body):
            return [number]
        kids = re.search(rb"/Kids\s*\[(.*?)\]", body, re.S)
        return [leaf for kid in refs(kids[1] if kids else b"") for leaf in leaves(kid)]

    root = next(n for n, body in objects.items() if re.search(rb"/Type\s*/Pages\b", body) and b"/Parent" not in body)
    page_number = {page: index for index, page in enumerate(leaves(root), 1)}

    def element(number: int) -> Tagged:
        body = objects[number]
        pages = [page_number[n] for n in refs(b" ".join(re.findall(rb"/Pg \d+ 0 R", body)))]
        kids_text = re.search(rb"/K\s*(\[.*\]|\d+ 0 R)", re.sub(rb"/(?:P|Pg) \d+ 0 R", b"", body), re.S)
        kids = [n for n in refs(kids_text[1] if kids_text else b"") if b"/StructElem" in objects.get(n, b"")]
        role = re.search(rb"/S\s*/(\w+)", body)
        return Tagged(role[1].decode() if role else "", pages, body, [element(kid) for kid in kids])

    tree = next(n for n, body in objects.items() if re.search(rb"/Type\s*/StructTreeRoot\b", body))
    top = re.search(rb"/K\s*(\[.*?\]|\d+ 0 R)", objects[tree], re.S)
    return Tagged("Root", [], b"", [element(n) for n in refs(top[1] if top else b"")])


def split_rows(tree: Tagged) -> list[list[int]]:
    """Pages of each table row printed across more than one page; a row of column headers
    repeated at the top of each page (thead) is no split."""
    return [
        row.all_pages() for row in tree.walk()
        if row.role == "TR" and len(row.all_pages()) > 1
        and not all(cell.role == "TH" and b"/Scope /Column" in cell.attributes for cell in row.kids)
    ]


def stranded_headings(tree: Tagged) -> list[tuple[str, int]]:
    """(role, page) of each heading whose next sibling begins on a later page than it ends."""
    found = []
    for parent in tree.walk():
        for index, kid in enumerate(parent.kids):
            if kid.role not in ("H1", "H2", "H3", "H4") or not kid.all_pages():
                continue
            after = [sibling for sibling in parent.kids[index + 1:] if sibling.all_pages()]
            if after and after[0].all_pages()[0] > kid.all_pages()[-1]:
                found.append((kid.role, kid.all_pages()[-1]))
    return found


@pytest.mark.browser
def test_plan_in_a_real_browser(tde: Callable[..., Run], example: Path, tmp_path: Path) -> None:
    """The example plan loads with no console error or request, fits a phone, and prints sanely."""
    need_chromium()
    page_file = tmp_path / "plan.html"
    result = tde("render", "plan", "--format", "html", "-o", str(page_file), cwd=example)
    assert result.exit_code == 0, result
    url = page_file.as_uri()
    ARTIFACTS.mkdir(exist_ok=True)

    with browser(tmp_path) as page:
        for domain in ("Page", "Runtime", "Log", "Network"):
            page.call(f"{domain}.enable")
        page.call("Page.navigate", {"url": url})
        page.wait_for("Page.loadEventFired")
        assert page.evaluate("document.title").startswith("Draft plan: monthly eviction filings")
        assert page.evaluate("document.scripts.length") == 0
        assert page.evaluate("document.querySelectorAll('img, iframe, object, embed, link').length") == 0
        sections = page.evaluate("Array.from(document.querySelectorAll('h2[id]'), h => h.id)")
        assert sections[:3] == ["s1", "s2", "s3"]

        page.screenshot(ARTIFACTS / "plan-phone.png", 390, full=True)
        assert page.evaluate("document.documentElement.scrollWidth") <= 390, "the page scrolls sideways on a phone"
        page.screenshot(ARTIFACTS / "plan-desktop.png", 1280, full=True)
        page.screenshot(ARTIFACTS / "plan-desktop-top.png", 1280, full=False, height=1000)
        width = page.evaluate("document.querySelector('main').getBoundingClientRect().width")
        assert 600 <= width <= 760, f"the text column is {width}px wide"

        pdfs: dict[str, bytes] = {}
        for paper, (inches_wide, inches_high) in PAPERS.items():
            printed = page.call("Page.printToPDF", {
                "preferCSSPageSize": True, "paperWidth": inches_wide, "paperHeight": inches_high,
                "generateTaggedPDF": True,  # its structure tree tells which page each part is on
            })
            pdfs[paper] = base64.b64decode(printed["data"])
            (ARTIFACTS / f"plan-{paper}.pdf").write_bytes(pdfs[paper])

        requests = [p["request"]["url"] for p in page.of("Network.requestWillBeSent")]
        errors = [p["entry"] for p in page.of("Log.entryAdded") if p["entry"]["level"] == "error"]
        console = [p for p in page.of("Runtime.consoleAPICalled") if p["type"] in ("error", "assert")]
        exceptions = page.of("Runtime.exceptionThrown")

    assert [r for r in requests if r != url] == []
    assert errors == []
    assert console == []
    assert exceptions == []
    for paper, pdf in pdfs.items():
        inches_wide, inches_high = PAPERS[paper]
        assert pdf.startswith(b"%PDF"), paper
        # Sections flow on from page to page: the example (its comment period, changes, where
        # each piece of feedback led, its group engagements and its round of imported comments
        # included) fits on 10 pages.
        assert 2 <= pdf_pages(pdf) <= 10, (paper, pdf_pages(pdf))
        tree = pdf_structure(pdf)
        assert sum(1 for e in tree.walk() if e.role == "TR") >= 30, paper  # the rows are tagged
        assert split_rows(tree) == [], paper
        assert stranded_headings(tree) == [], paper
        sizes = pdf_page_sizes(pdf)
        assert len(sizes) == 1, (paper, sizes)
        width, height = sizes.pop()
        assert abs(width - inches_wide * 72) <= 2 and abs(height - inches_high * 72) <= 2, (paper, width, height)
