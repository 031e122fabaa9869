"""Workshop cards in a real browser: headless Chromium prints them to Letter and to A4.

Each paper's PDF has exactly the pages the cards need: four cards to a page, use cases then
personas, then the tally sheet, eight use cases to a page. Every card (an Art element of the
tagged PDF) lies on the one page it should, so none is cut at a page edge; in print the cards'
words fit inside them and every text is at least 14 pt. axe-core finds no accessibility
violation on screen or in print. Screenshots and the PDFs are kept in test-artifacts/.
"""

from __future__ import annotations

import base64
import json
import math
import shutil
import subprocess
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from browsing import DevTools, browser, need_chromium, unavailable
from conftest import Run
from tdekit.publish.cards import PER_PAGE, TALLY_ROWS
from test_accessibility import AXE, MISSING_CHECKERS, TAGS, VNU, axe, described, problems, show
from test_browser import ARTIFACTS, PAPERS, pdf_page_sizes, pdf_pages, pdf_structure

#: Printable height that Letter and A4 share with the cards' 10 mm margins, in CSS pixels.
PRINTABLE = (279.4 - 20) / 25.4 * 96
#: 14 pt in CSS pixels, less rounding.
SMALLEST = 14 * 96 / 72 - 0.01

MEASURE = """
(() => {
  const sheets = Array.from(document.querySelectorAll('.sheet'));
  return {
    sheets: sheets.map(s => s.getBoundingClientRect().height),
    cards: Array.from(document.querySelectorAll('.card'), c => {
      const box = c.getBoundingClientRect(), sheet = c.closest('.sheet').getBoundingClientRect();
      return {
        title: c.querySelector('h3').textContent,
        inside: box.top >= sheet.top - 0.5 && box.bottom <= sheet.bottom + 0.5
          && box.left >= sheet.left - 0.5 && box.right <= sheet.right + 0.5,
        overflow: c.scrollHeight - c.clientHeight,
      };
    }),
    smallest: Math.min(...Array.from(document.querySelectorAll('main *'))
      .filter(e => e.offsetParent !== null && Array.from(e.childNodes).some(n => n.nodeType === 3 && n.textContent.trim()))
      .map(e => parseFloat(getComputedStyle(e).fontSize))),
  };
})()
"""


@pytest.fixture(scope="module")
def page(tmp_path_factory: pytest.TempPathFactory) -> Iterator[DevTools]:
    need_chromium()
    with browser(tmp_path_factory.mktemp("chromium")) as tab:
        tab.call("Page.enable")
        yield tab


def _many(root: Path, tde: Callable[..., Run]) -> tuple[int, int]:
    """The example with nine more use cases (14: four pages of cards, two of the tally sheet)."""
    for number in range(9):
        assert tde("new", "usecase", f"Another use case for the wall, number {number + 1}", cwd=root).exit_code == 0
    return 14, 4


@pytest.mark.browser
@pytest.mark.parametrize("document", ["example", "many"])
def test_cards_print_to_the_expected_pages(
    document: str, tde: Callable[..., Run], example: Path, tmp_path: Path, page: DevTools
) -> None:
    """Letter and A4: ceil(use cases/4) + ceil(personas/4) + ceil(use cases/10) pages, each card whole on its page."""
    usecases, personas = _many(example, tde) if document == "many" else (5, 4)
    html = tmp_path / "cards.html"
    result = tde("render", "cards", "-o", str(html), cwd=example)
    assert result.exit_code == 0, result
    ARTIFACTS.mkdir(exist_ok=True)

    show(page, html, 1280)
    page.screenshot(ARTIFACTS / f"cards-{document}-screen.png", 1280, full=True)
    show(page, html, 816, "print")
    page.screenshot(ARTIFACTS / f"cards-{document}-print.png", 816, full=True)
    measured = page.evaluate(MEASURE)
    pdfs = {}
    for paper, (inches_wide, inches_high) in PAPERS.items():
        printed = page.call("Page.printToPDF", {
            "preferCSSPageSize": True, "paperWidth": inches_wide, "paperHeight": inches_high, "generateTaggedPDF": True,
        })
        pdfs[paper] = base64.b64decode(printed["data"])
        (ARTIFACTS / f"cards-{document}-{paper}.pdf").write_bytes(pdfs[paper])

    cards = measured["cards"]
    assert len(cards) == usecases + personas
    assert [c["title"] for c in cards if not c["inside"]] == []
    assert [c["title"] for c in cards if c["overflow"] > 0] == []  # the words fit their card
    assert max(measured["sheets"]) <= PRINTABLE
    assert measured["smallest"] >= SMALLEST, measured["smallest"]

    assert (PER_PAGE, TALLY_ROWS) == (4, 8)
    card_pages, persona_pages = math.ceil(usecases / 4), math.ceil(personas / 4)
    expected_pages = card_pages + persona_pages + math.ceil(usecases / 8)
    expected = [n // 4 + 1 for n in range(usecases)] + [card_pages + n // 4 + 1 for n in range(personas)]
    for paper, pdf in pdfs.items():
        assert pdf_pages(pdf) == expected_pages, (paper, pdf_pages(pdf))
        width, height = pdf_page_sizes(pdf).pop()
        assert abs(width - PAPERS[paper][0] * 72) <= 2 and abs(height - PAPERS[paper][1] * 72) <= 2, paper
        tree = pdf_structure(pdf)
        placed = [card.all_pages() for card in tree.walk() if card.role == "Art"]
        assert placed == [[number] for number in expected], paper  # each card on one page, its own
        tables = [table.all_pages() for table in tree.walk() if table.role == "Table"]
        assert [p for pages in tables for p in pages] == list(range(card_pages + persona_pages + 1, expected_pages + 1))


@pytest.mark.browser
@pytest.mark.parametrize("media", ["screen", "print"])
def test_cards_have_no_accessibility_violations(
    media: str, tde: Callable[..., Run], example: Path, tmp_path: Path, page: DevTools
) -> None:
    """axe finds no violation of WCAG 2.0/2.1/2.2 A and AA, nor of its best practices."""
    if not AXE.is_file():
        unavailable(f"axe-core is not installed; {MISSING_CHECKERS}")
    html = tmp_path / "cards.html"
    assert tde("render", "cards", "-o", str(html), cwd=example).exit_code == 0
    show(page, html, 1280 if media == "screen" else 816, media)
    result = axe(page, skip=["target-size"] if media == "print" else [])
    assert result["rules"] > 40, (TAGS, result)
    assert result["violations"] == [], described(result["violations"])


def test_cards_are_valid_html(tde: Callable[..., Run], example: Path, tmp_path: Path) -> None:
    """The Nu Html Checker has nothing to say about the cards: no error, no warning, no information."""
    java = shutil.which("java")
    if java is None:
        unavailable("no java on PATH to run the Nu Html Checker (Debian: apt-get install default-jre-headless)")
    if not VNU.is_file():
        unavailable(f"the Nu Html Checker is not installed; {MISSING_CHECKERS}")
    html = tmp_path / "cards.html"
    assert tde("render", "cards", "-o", str(html), cwd=example).exit_code == 0
    done = subprocess.run([java, "-jar", str(VNU), "--format", "json", str(html)], capture_output=True, text=True, timeout=300)
    assert problems(json.loads(done.stderr)["messages"]) == []
