"""Every HTML document tde writes, checked for accessibility and for valid HTML.

axe-core runs inside the real headless Chromium (tests/browsing.py) on each document at a
desktop and a phone width and in print, with the WCAG 2.0, 2.1 and 2.2 A and AA rules and
axe's best practices (landmarks, heading order, a skip link that works); any violation fails
the test, listed by rule, impact, element and help. The Nu Html Checker (vnu.jar) reads all
the documents in one run and fails on any message. Both come from the npm registry at
the versions pinned in package-lock.json; `make test` installs them into node_modules/.

The documents: the example's plan and its Spanish translation, and plans made to stress the layout: a wide table, many
feedback items, and the empty sections of a plan just made by `tde new`.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlparse

import pytest

from browsing import REPO, DevTools, browser, need_chromium, unavailable
from conftest import EXAMPLES, git

AXE = REPO / "node_modules" / "axe-core" / "axe.min.js"
VNU = REPO / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"
#: axe's rule tags: WCAG 2.0, 2.1 and 2.2 at levels A and AA, and axe's best practices.
TAGS = ("wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice")
#: (name, width in CSS pixels, media) of each view axe checks: desktop, phone, and print (the
#: print style sheet's colours and contrast, at the width of Letter paper).
VIEWS = (("desktop", 1280, "screen"), ("phone", 375, "screen"), ("print", 816, "print"))
#: Rules that do not apply to a view. Paper has no pointer: the size of click targets (WCAG
#: 2.5.8) is a matter for the screen, where the contents' links are tall enough.
NOT_APPLICABLE = {"print": ["target-size"]}
#: The narrowest width WCAG 2.1's reflow criterion (1.4.10) asks a page to work at.
REFLOW = 320
DOCUMENTS = ("example", "example-es", "wide-table", "much-feedback", "empty-sections")
#: What ``tde render plan`` is given besides the format, for the documents that need more: the
#: example's plan in Spanish (its translation, whose record text from elsewhere is English).
RENDER_ARGS = {"example-es": ("eviction-filings-release-plan-es",)}
MISSING_CHECKERS = "run `make node_modules/.installed` (npm ci) to install axe-core and the Nu Html Checker"


# --- the documents ---------------------------------------------------------------------------


def tde(cwd: Path, *args: str) -> subprocess.CompletedProcess[str]:
    """Run the real ``tde`` entry point in ``cwd``; a non-zero exit fails the test."""
    done = subprocess.run([sys.executable, "-m", "tdekit", *args], cwd=cwd, capture_output=True, text=True)
    assert done.returncode == 0, (args, done.stdout, done.stderr)
    return done


def example_copy(root: Path) -> Path:
    shutil.copytree(EXAMPLES, root)
    return root


def edit(path: Path, old: str, new: str) -> None:
    """Replace ``old`` (which must be there) by ``new`` in the file at ``path``."""
    text = path.read_text(encoding="utf-8")
    assert old in text, (path, old)
    path.write_text(text.replace(old, new), encoding="utf-8")


def committed(root: Path) -> Path:
    git(root, "init", "--quiet")
    git(root, "add", "-A")
    git(root, "commit", "--quiet", "-m", "Plan for comment")
    return root


WIDE_TABLE = """
## Counts we will publish

| Month | Neighborhood | Block group | Filings | Default judgments | Dismissals | Serial filings flagged | Suppressed (under 5) |
| --- | --- | --- | ---: | ---: | ---: | ---: | ---: |
| 2026-09 | Northside | 510330101001 | 41 | 12 | 9 | 3 | no |
| 2026-09 | Eastside_and_the_Riverfront_Industrial_District | 510330102003 | 4 | 0 | 1 | 0 | yes |
"""


def wide_table(root: Path) -> Path:
    """The example with tables wider than a phone: a body table of eight columns, a milestone
    date that may not wrap, a dataset name with no space to break at."""
    example_copy(root)
    plan = root / "plans" / "eviction-filings-release-plan.md"
    edit(plan, "when: April 2027", "when: April 2027, after the six-month partner review")
    edit(plan, "cycle.\n", "cycle.\n" + WIDE_TABLE)
    edit(
        root / "usecases" / "eviction-filings-by-neighborhood.md",
        "name: Neighborhood and census block group boundaries",
        "name: riverton_neighborhood_and_census_block_group_boundaries_2020.geojson",
    )
    return committed(root)


DISPOSITIONS = ("open", "accepted", "partly_accepted", "declined")
CONSENTS = ("public", "anonymous", "private")
CHANNELS = ("online_comment", "email", "workshop", "focus_group", "survey", "meeting")
SECTIONS = ("Timeline", "Audience", "Intervention", "Overview", "the printed summary", "")


def much_feedback(root: Path) -> Path:
    """The example with 36 more feedback items: every disposition, consent and channel, bodies
    with lists, quotes, links, headings and tables, sections that are and are not parts of the
    plan."""
    example_copy(root)
    edit(root / "plans" / "eviction-filings-release-plan.md", "status: circulated", "status: revised")
    for number in range(36):
        disposition = DISPOSITIONS[number % 4]
        section = SECTIONS[number % len(SECTIONS)]
        response = "" if disposition == "open" else f"response: We changed the plan after comment {number}.\n"
        (root / "feedback" / f"comment-{number:02d}.md").write_text(
            f"---\nid: comment-{number:02d}\ntitle: Comment {number} on the draft\nplan: eviction-filings-release-plan\n"
            f"date: 2026-06-{1 + number % 28:02d}\nsource: Commenter {number}\nconsent: {CONSENTS[number % 3]}\n"
            f"channel: {CHANNELS[number % len(CHANNELS)]}\n" + (f"section: {section}\n" if section else "")
            + f"disposition: {disposition}\n{response}---\n\n"
            # A private body is never shown, and the redaction check refuses the output if a
            # sentence of it appears anywhere: so it is its own words, not the public ones.
            + (f"Private note {number}: kept within the team.\n" if CONSENTS[number % 3] == "private" else
            "### What I asked\n\nPlease publish the counts *sooner*, and:\n\n- by block group\n- in Spanish\n\n"
            "> A filing is not an eviction.\n\n"
            "See [the county's court data page](https://courts.example.org/data) for the source.\n"
            + ("\n| Month | Filings |\n| --- | ---: |\n| May | 40 |\n" if number % 5 == 0 else "")),
            encoding="utf-8",
        )
    return committed(root)


def empty_sections(root: Path) -> Path:
    """A plan as `tde new` writes it, for a use case as `tde new` writes it, outside git: every
    section of the plan empty, no history."""
    tde(root.parent, "init", str(root), "--name", "Bus arrivals", "--no-git")
    tde(root, "new", "usecase", "Bus arrivals at every stop")
    tde(root, "new", "plan", "Bus arrivals plan", "--set", "usecase=bus-arrivals-at-every-stop")
    return root


BUILDERS = {"example": lambda root: committed(example_copy(root)),
            "example-es": lambda root: committed(example_copy(root)), "wide-table": wide_table,
            "much-feedback": much_feedback, "empty-sections": empty_sections}


@pytest.fixture(scope="module")
def documents(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """Each document's name and the HTML file tde rendered for it, made once for the module."""
    base = tmp_path_factory.mktemp("documents")
    rendered: dict[str, Path] = {}
    with pytest.MonkeyPatch.context() as env:
        env.setenv("XDG_CACHE_HOME", str(base / "user-cache"))
        env.setenv("SOURCE_DATE_EPOCH", "1788000000")
        env.setenv("NO_COLOR", "1")
        for key, value in (("NAME", "Test Author"), ("EMAIL", "author@example.org")):
            env.setenv(f"GIT_AUTHOR_{key}", value)
            env.setenv(f"GIT_COMMITTER_{key}", value)
        env.setenv("GIT_CONFIG_GLOBAL", "/dev/null")
        env.setenv("GIT_CONFIG_NOSYSTEM", "1")
        for name in DOCUMENTS:
            root = BUILDERS[name](base / name)
            rendered[name] = base / f"{name}.html"
            tde(root, "render", "plan", *RENDER_ARGS.get(name, ()), "--format", "html", "-o", str(rendered[name]))
    return rendered


# --- axe in Chromium -------------------------------------------------------------------------


@pytest.fixture(scope="module")
def page(tmp_path_factory: pytest.TempPathFactory) -> Iterator[DevTools]:
    """One headless Chromium for the module's checks."""
    need_chromium()
    if not AXE.is_file():
        unavailable(f"axe-core is not installed ({AXE.relative_to(REPO)} is missing); {MISSING_CHECKERS}")
    with browser(tmp_path_factory.mktemp("chromium")) as tab:
        tab.call("Page.enable")
        yield tab


def show(page: DevTools, path: Path, width: int, media: str = "screen") -> None:
    """Load ``path`` at ``width`` CSS pixels, as the screen or as print shows it."""
    page.call("Emulation.setDeviceMetricsOverride", {
        "width": width, "height": 900, "deviceScaleFactor": 1, "mobile": width < 600,
    })
    page.call("Emulation.setEmulatedMedia", {"media": "" if media == "screen" else media})
    page.events.clear()
    page.call("Page.navigate", {"url": path.as_uri()})
    page.wait_for("Page.loadEventFired")


AXE_RUN = """
axe.run(document, {
  runOnly: {type: "tag", values: %s},
  rules: Object.fromEntries(%s.map(id => [id, {enabled: false}])),
  resultTypes: ["violations"],
}).then(r => ({
  rules: r.passes.length + r.violations.length + r.incomplete.length + r.inapplicable.length,
  violations: r.violations.map(v => ({
    id: v.id, impact: v.impact, help: v.help,
    nodes: v.nodes.map(n => ({target: n.target.join(" "), summary: n.failureSummary})),
  })),
}))
"""


def axe(page: DevTools, *, skip: list[str]) -> dict[str, Any]:
    """axe's verdict on the page shown, with the rules in ``skip`` off: how many rules ran, and
    each violation."""
    page.evaluate(AXE.read_text(encoding="utf-8"))
    result: dict[str, Any] = page.evaluate(AXE_RUN % (json.dumps(list(TAGS)), json.dumps(skip)), wait=True)
    return result


def described(violations: list[dict[str, Any]]) -> str:
    lines = []
    for v in violations:
        lines.append(f"{v['id']} ({v['impact']}): {v['help']}")
        lines.extend(f"    at {n['target']}: {n['summary']}" for n in v["nodes"])
    return "\n".join(lines)


@pytest.mark.browser
@pytest.mark.parametrize("view", VIEWS, ids=[v[0] for v in VIEWS])
@pytest.mark.parametrize("name", DOCUMENTS)
def test_no_accessibility_violations(
    name: str, view: tuple[str, int, str], documents: dict[str, Path], page: DevTools
) -> None:
    """axe finds no violation of WCAG 2.0/2.1/2.2 A and AA, nor of its best practices."""
    label, width, media = view
    show(page, documents[name], width, media)
    result = axe(page, skip=NOT_APPLICABLE.get(label, []))
    assert result["rules"] > 50, result  # axe ran its rules on the page
    assert result["violations"] == [], f"{name} at {label} ({width}px):\n{described(result['violations'])}"


@pytest.mark.browser
@pytest.mark.parametrize("name", DOCUMENTS)
def test_reflows_at_320_pixels(name: str, documents: dict[str, Path], page: DevTools) -> None:
    """At 320 CSS pixels (WCAG 1.4.10) the page never scrolls sideways: a wide table scrolls in
    its own frame (which axe checks takes the keyboard focus)."""
    show(page, documents[name], REFLOW)
    assert page.evaluate("document.documentElement.scrollWidth") <= REFLOW



@pytest.mark.browser
def test_axe_finds_a_frame_without_keyboard_access(documents: dict[str, Path], page: DevTools) -> None:
    """Control: with the frames' tabindex taken away, axe reports the wide table on a phone."""
    show(page, documents["wide-table"], 375)
    page.evaluate("document.querySelectorAll('.table-wrap').forEach(e => e.removeAttribute('tabindex'))")
    found = {v["id"] for v in axe(page, skip=[])["violations"]}
    assert "scrollable-region-focusable" in found, found


@pytest.mark.parametrize("ci", ["true", ""])
def test_a_missing_browser_fails_in_ci(ci: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Without a Chromium on PATH the browser tests skip, saying why; with CI=true they fail."""
    monkeypatch.setenv("PATH", str(tmp_path))
    monkeypatch.setenv("CI", ci)
    outcome = pytest.fail.Exception if ci else pytest.skip.Exception
    with pytest.raises(outcome, match="no Chromium found") as raised:
        need_chromium()
    assert ("CI=true" in str(raised.value)) == bool(ci)

# --- the Nu Html Checker ---------------------------------------------------------------------


#: A copy of the example's plan with two faults put in, checked in the same run: the checker
#: must find them, so a run that reads nothing (or a message this test cannot place) shows.
CONTROL = "control-with-faults"


@pytest.fixture(scope="module")
def checked(documents: dict[str, Path]) -> dict[str, list[dict[str, Any]]]:
    """Every message of the Nu Html Checker about each document (and the control), from one
    run over all of them; a message about no document of ours goes to each."""
    java = shutil.which("java")
    if java is None:
        unavailable("no java on PATH to run the Nu Html Checker (Debian: apt-get install default-jre-headless)")
    if not VNU.is_file():
        unavailable(f"the Nu Html Checker is not installed ({VNU.relative_to(REPO)} is missing); {MISSING_CHECKERS}")
    files = {**documents, CONTROL: documents["example"].with_name(f"{CONTROL}.html")}
    faulty = documents["example"].read_text(encoding="utf-8").replace("</main>", "</main></p>")
    files[CONTROL].write_text(faulty.replace('<footer>', '<footer id="main">'), encoding="utf-8")
    done = subprocess.run([java, "-jar", str(VNU), "--format", "json", *map(str, files.values())],
                          capture_output=True, text=True, timeout=300)
    try:
        messages = json.loads(done.stderr)["messages"]
    except ValueError:
        pytest.fail(f"the Nu Html Checker said (exit {done.returncode}): {done.stderr[-2000:]}")
    by_name: dict[str, list[dict[str, Any]]] = {name: [] for name in files}
    paths = {path.resolve(): name for name, path in files.items()}
    for message in messages:
        where = paths.get(Path(unquote(urlparse(message.get("url", "")).path)).resolve())
        for name in [where] if where else files:
            by_name[name].append(message)
    return by_name


def problems(messages: list[dict[str, Any]]) -> list[str]:
    """Each message on a line: its line, its type (error, info/warning, ...) and its text."""
    return [
        f"line {m.get('lastLine', '?')}: {m['type']}{'/' + m['subType'] if 'subType' in m else ''}: {m['message']}"
        for m in messages
    ]


@pytest.mark.parametrize("name", DOCUMENTS)
def test_valid_html(name: str, checked: dict[str, list[dict[str, Any]]]) -> None:
    """The Nu Html Checker has nothing to say about the document: no error, no warning, no
    information (none of its messages is filtered out)."""
    assert problems(checked[name]) == [], f"{name}:\n" + "\n".join(problems(checked[name]))


def test_the_checker_finds_faults(checked: dict[str, list[dict[str, Any]]]) -> None:
    """The control document's two faults are found, and placed in that document."""
    found = "\n".join(problems(checked[CONTROL]))
    assert "Duplicate ID" in found, found
    assert "end tag" in found, found
