"""tde render cards: workshop cards for use cases and personas, and a tally sheet, checked as the plan is."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

import pytest

from conftest import Run

USECASES = 5  # in the example
PERSONAS = 4


def _cards(html: str, kind: str) -> list[str]:
    """The titles of the cards of ``kind`` (usecase or persona), in order."""
    return re.findall(rf'<article class="card {kind}"[^>]*>\s*<p class="kind">[^<]*</p>\s*<h3 id="[^"]*">([^<]*)</h3>', html)


def _tally(html: str) -> list[str]:
    """The ids on the tally sheet, in order."""
    return re.findall(r'<tr><th scope="row">[^<]*<span class="id">([^<]*)</span>', html)


def _render(tde: Callable[..., Run], root: Path, *args: str) -> str:
    result = tde("render", "cards", *args, cwd=root)
    assert result.exit_code == 0, result
    return result.stdout


def test_all_cards_and_the_tally_sheet(tde: Callable[..., Run], example: Path) -> None:
    """By default: a card per use case and per persona, in id order, then every use case on the tally sheet."""
    html = _render(tde, example)
    assert html.startswith("<!DOCTYPE html>")
    usecases = sorted(p.stem for p in (example / "usecases").glob("*.md"))
    assert len(_cards(html, "usecase")) == USECASES
    assert len(_cards(html, "persona")) == PERSONAS
    assert "Monthly eviction filings by neighborhood, for earlier outreach" in _cards(html, "usecase")
    assert "Renter who has just received a notice" in _cards(html, "persona")
    assert _tally(html) == usecases
    assert html.count('<div class="sheet">') == 2 + 1  # four cards to a sheet
    assert "As a tenant organizer, I want a monthly count of eviction filings" in html
    assert "Eviction (unlawful detainer) case filings (not yet published); held by Riverton County Circuit Court Clerk" in html
    assert "and 3 more datasets" in html


def test_the_kinds(tde: Callable[..., Run], example: Path) -> None:
    """--kind usecase prints use case cards and the tally sheet; --kind persona the personas alone."""
    usecase = _render(tde, example, "--kind", "usecase")
    assert len(_cards(usecase, "usecase")) == USECASES
    assert _cards(usecase, "persona") == []
    assert len(_tally(usecase)) == USECASES
    persona = _render(tde, example, "--kind", "persona")
    assert len(_cards(persona, "persona")) == PERSONAS
    assert _cards(persona, "usecase") == []
    assert _tally(persona) == [] and "Tally sheet" not in persona
    wrong = tde("render", "cards", "--kind", "people", cwd=example)
    assert wrong.exit_code == 2
    assert "Invalid value for '--kind': choose one of: usecase, persona, all" in wrong.stderr


def test_a_card_holds_what_fits_and_says_how_many_more(tde: Callable[..., Run], example: Path) -> None:
    """A use case with many datasets shows the first ones and counts the others."""
    path = example / "usecases" / "who-owns-my-building.md"
    text = path.read_text(encoding="utf-8")
    extra = "".join(f"  - name: Extra dataset number {n}\n    status: missing\n" for n in range(12))
    path.write_text(text.replace("datasets:\n", "datasets:\n" + extra, 1), encoding="utf-8")
    html = _render(tde, example, "--kind", "usecase")
    card = html.split('id="usecase-who-owns-my-building"', 1)[1].split("</article>", 1)[0]
    shown = card.count("<li>")
    assert shown >= 1
    total = len(re.findall(r"^  - name:", path.read_text(encoding="utf-8"), re.MULTILINE))
    assert f"and {total - shown} more datasets" in card


def test_nothing_to_print_is_refused(tde: Callable[..., Run], empty_project: Path) -> None:
    """A project without use cases or personas: exit 1 and one line saying what to write first."""
    result = tde("render", "cards", cwd=empty_project)
    assert result.exit_code == 1
    assert result.stderr == (
        "error: nothing to print: this project has no use case and no persona yet; write one with: "
        'tde new usecase "TITLE" or tde new persona "TITLE"\n'
    )
    assert tde("new", "usecase", "Bus stop repairs", cwd=empty_project).exit_code == 0
    persona = tde("render", "cards", "--kind", "persona", cwd=empty_project)
    assert persona.exit_code == 1
    assert "nothing to print: this project has no persona yet" in persona.stderr
    assert len(_cards(_render(tde, empty_project), "usecase")) == 1


def test_a_card_file_with_errors_is_refused(tde: Callable[..., Run], example: Path) -> None:
    """A use case with an error is not printed: exit 1 naming the file, as for the plan."""
    path = example / "usecases" / "who-owns-my-building.md"
    path.write_text(path.read_text(encoding="utf-8").replace("status: ", "status: nonsense # ", 1), encoding="utf-8")
    result = tde("render", "cards", cwd=example)
    assert result.exit_code == 1
    assert result.stderr.startswith("error: cannot render the cards: usecases/who-owns-my-building.md has an error")


def test_output_file_is_written_whole(tde: Callable[..., Run], example: Path, tmp_path: Path) -> None:
    """-o writes the file (replacing one there) and says what it holds; stdout stays empty."""
    out = tmp_path / "cards.html"
    out.write_text("old", encoding="utf-8")
    result = tde("render", "cards", "-o", str(out), cwd=example)
    assert result.exit_code == 0, result
    assert result.stdout == ""
    assert f"Wrote 5 use case cards, 4 persona cards and the tally sheet to {out}" in result.stderr
    assert out.read_text(encoding="utf-8") == _render(tde, example)
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".") or p.name.endswith(".tmp")] == []


def test_output_into_the_records_is_refused(tde: Callable[..., Run], example: Path) -> None:
    """-o into a record folder is refused before anything is read or written."""
    result = tde("render", "cards", "-o", "usecases/cards.html", cwd=example)
    assert result.exit_code == 1
    assert result.stderr.startswith("error: refusing to write the cards to usecases/cards.html: ")
    assert not (example / "usecases" / "cards.html").exists()


def test_hostile_text_is_shown_as_text(tde: Callable[..., Run], example: Path) -> None:
    """Markup in a use case or persona is escaped: the document passes the gate and runs nothing."""
    usecase = example / "usecases" / "who-owns-my-building.md"
    text = usecase.read_text(encoding="utf-8")
    title = re.search(r"^title: (.*)$", text, re.MULTILINE).group(1)  # type: ignore[union-attr]
    usecase.write_text(text.replace(title, "\"<script>alert(1)</script> <a href='javascript:x'>owners</a>\"", 1), encoding="utf-8")
    persona = example / "personas" / "tenant-organizer.md"
    text = persona.read_text(encoding="utf-8")
    persona.write_text(text.replace("goals:\n", 'goals:\n  - "<img src=x onerror=alert(1)> <iframe src=//evil.example>"\n', 1), encoding="utf-8")
    html = _render(tde, example)
    assert "<script" not in html and "<img" not in html and "<iframe" not in html and "<a " not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "&lt;img src=x onerror=alert(1)&gt;" in html


def _own_template(root: Path, extra: str) -> None:
    """The project's own cards template: the shipped one with ``extra`` after <main>."""
    shipped = Path(__file__).resolve().parent.parent / "templates" / "render"
    own = root / "templates" / "render"
    own.mkdir(parents=True, exist_ok=True)
    (own / "cards.css.j2").write_text((shipped / "cards.css.j2").read_text(encoding="utf-8"), encoding="utf-8")
    html = (shipped / "cards.html.j2").read_text(encoding="utf-8")
    (own / "cards.html.j2").write_text(html.replace("<main>", "<main>" + extra, 1), encoding="utf-8")


def test_a_template_that_adds_a_script_is_refused(tde: Callable[..., Run], example: Path, tmp_path: Path) -> None:
    """The cards go through the gate: a project template adding a script refuses them, nothing written."""
    _own_template(example, "<script>fetch('https://evil.example')</script>")
    out = tmp_path / "cards.html"
    result = tde("render", "cards", "-o", str(out), cwd=example)
    assert result.exit_code == 1
    assert result.stderr.startswith("error: refusing the rendered cards (html): output line ")
    assert "holds a <script> element: it runs code; nothing was written" in result.stderr
    assert not out.exists()


def test_a_withheld_name_is_refused(tde: Callable[..., Run], example: Path, tmp_path: Path) -> None:
    """The cards go through the redaction check: a private interviewee's name in them refuses them."""
    private = example / "interviews" / "courier-reporter.md"
    name = re.search(r"^interviewee: (.*)$", private.read_text(encoding="utf-8"), re.MULTILINE).group(1)  # type: ignore[union-attr]
    assert "consent: private" in private.read_text(encoding="utf-8")
    assert name not in _render(tde, example)
    _own_template(example, f"<p>Thanks to {name}</p>")
    out = tmp_path / "cards.html"
    result = tde("render", "cards", "-o", str(out), cwd=example)
    assert result.exit_code == 1
    assert result.stderr.startswith("error: refusing the rendered cards (html): output line ")
    assert "holds the interviewee of interviews/courier-reporter.md, which its consent (private) withholds" in result.stderr
    assert not out.exists()


@pytest.mark.parametrize("kind", ["all", "persona"])
def test_personas_show_no_interviews(tde: Callable[..., Run], example: Path, kind: str) -> None:
    """A persona card shows its goals, obstacles and needs, never the interviews it rests on."""
    html = _render(tde, example, "--kind", kind)
    for path in (example / "interviews").glob("*.md"):
        assert path.stem not in html
