"""The report of the whole loop in a real browser: the example's implemented cycle.

It loads with no script and no request but itself, fits a phone without sideways scrolling,
prints (a PDF of Letter paper), and axe finds no violation of WCAG 2.x A/AA or its best
practices on the desktop, on a phone and in print. Screenshots of the phone view and of the
print view, and the PDF, are kept in test-artifacts/ (not in git) for people to look at.
"""

from __future__ import annotations

import base64
import json
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest

from browsing import DevTools, browser, need_chromium, unavailable
from conftest import EXAMPLES
from test_accessibility import (
    AXE,
    MISSING_CHECKERS,
    NOT_APPLICABLE,
    REFLOW,
    VIEWS,
    VNU,
    axe,
    described,
    problems,
    show,
    tde,
)
from test_browser import ARTIFACTS, pdf_pages


@pytest.fixture(scope="module")
def report(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The example's report, rendered to HTML by the real command."""
    base = tmp_path_factory.mktemp("report")
    root = base / "example"
    shutil.copytree(EXAMPLES, root)
    out = base / "report.html"
    with pytest.MonkeyPatch.context() as env:
        env.setenv("XDG_CACHE_HOME", str(base / "user-cache"))
        env.setenv("SOURCE_DATE_EPOCH", "1790000000")
        tde(root, "render", "report", "--format", "html", "-o", str(out))
    return out


@pytest.fixture(scope="module")
def page(tmp_path_factory: pytest.TempPathFactory) -> Iterator[DevTools]:
    need_chromium()
    with browser(tmp_path_factory.mktemp("chromium")) as tab:
        for domain in ("Page", "Runtime", "Log", "Network"):
            tab.call(f"{domain}.enable")
        yield tab


@pytest.mark.browser
def test_report_on_a_phone_and_in_print(report: Path, page: DevTools) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    show(page, report, 390)
    assert page.evaluate("document.title").startswith("What we heard, what we did: Code violation history")
    assert page.evaluate("document.scripts.length") == 0
    assert page.evaluate("document.querySelectorAll('img, iframe, object, embed, link, svg').length") == 0
    assert page.evaluate("document.querySelectorAll('.bar').length") == 2  # the two numeric indicators
    page.screenshot(ARTIFACTS / "report-phone.png", 390, full=True)
    assert page.evaluate("document.documentElement.scrollWidth") <= 390, "the report scrolls sideways on a phone"
    show(page, report, REFLOW)
    assert page.evaluate("document.documentElement.scrollWidth") <= REFLOW
    show(page, report, 816, "print")
    page.screenshot(ARTIFACTS / "report-print.png", 816, full=True)
    printed = page.call("Page.printToPDF", {"preferCSSPageSize": True, "paperWidth": 8.5, "paperHeight": 11.0})
    pdf = base64.b64decode(printed["data"])
    (ARTIFACTS / "report-letter.pdf").write_bytes(pdf)
    assert pdf.startswith(b"%PDF") and 1 <= pdf_pages(pdf) <= 6
    requests = [p["request"]["url"] for p in page.of("Network.requestWillBeSent")]
    assert [r for r in requests if r != report.as_uri()] == []
    assert page.of("Runtime.exceptionThrown") == []


@pytest.mark.browser
@pytest.mark.parametrize("view", VIEWS, ids=[v[0] for v in VIEWS])
def test_report_has_no_accessibility_violations(view: tuple[str, int, str], report: Path, page: DevTools) -> None:
    if not AXE.is_file():
        unavailable(f"axe-core is not installed ({AXE}); {MISSING_CHECKERS}")
    label, width, media = view
    show(page, report, width, media)
    result = axe(page, skip=NOT_APPLICABLE.get(label, []))
    assert result["rules"] > 50, result
    assert result["violations"] == [], f"report at {label} ({width}px):\n{described(result['violations'])}"


def test_report_is_valid_html(report: Path) -> None:
    """The Nu Html Checker has nothing to say about the report: no error, warning or information."""
    java = shutil.which("java")
    if java is None:
        unavailable("no java on PATH to run the Nu Html Checker (Debian: apt-get install default-jre-headless)")
    if not VNU.is_file():
        unavailable(f"the Nu Html Checker is not installed ({VNU}); {MISSING_CHECKERS}")
    done = subprocess.run([java, "-jar", str(VNU), "--format", "json", str(report)], capture_output=True, text=True, timeout=300)
    messages = json.loads(done.stderr)["messages"]
    assert problems(messages) == [], "\n".join(problems(messages))
