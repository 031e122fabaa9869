"""Outputs in the reader's language: the catalogs, ``--lang``, ``language`` in tde.yaml.

The catalogs are checked against what the templates and the code say (every message in every
catalog, none left untranslated), and the example rendered in Spanish must hold none of the
English fixed words that the same plan in English holds.
"""

from __future__ import annotations

import copy
import re
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest

from conftest import Run
from tdekit import catalogs, i18n

#: Fixed words of the rendered plan, each shown by the English rendering of the example; the
#: Spanish rendering must show none of them. Record text stays as the team wrote it, so these
#: are words no record of the example uses.
ENGLISH = (
    "Skip to main content",
    "To comment, cite a section by its number",
    "Draft for comment",
    "Draft circulated for comment",
    "What residents asked for",
    "Focus area",
    "Drafted",
    "Contents",
    "The use case and why we chose it",
    "How it scored",
    "on a scale of",
    "The score is the weighted mean",
    "Criterion",
    "Who we heard from",
    "This use case rests on",
    "conversations with",
    "The data it needs",
    "Held by",
    "Not yet published",
    "Other use cases considered",
    "this plan",
    "Shortlisted",
    "Who it is for",
    "The people we designed for",
    "composite drawn from several conversations",
    "What gets in the way",
    "Data they need",
    "Data skills",
    "User stories",
    "I want",
    "A data release",
    "Lowering barriers to access",
    "How the work gets done",
    "Does what",
    "Desired outcomes",
    "Who sustains it",
    "How we asked for feedback, and what we did with it",
    "Open online comment",
    "Expert focus group",
    "Public planning workshop",
    "Feedback log",
    "pieces of feedback",
    "partly accepted",
    "People who asked not to be named",
    "Online comment",
    "Our response",
    "(anonymous)",
    "Next steps",
    "Revision history",
    "First version",
    "Generated on",
    "from the project's records",
    "requests,",
    "Jan–Mar",
)


def visible(html: str) -> str:
    """The text of an HTML document as a reader meets it (tags and the style sheet left out)."""
    html = re.sub(r"<style>.*?</style>", "", html, flags=re.DOTALL)
    html = re.sub(r"<[^>]+>", " ", html)
    return re.sub(r"\s+", " ", html)


@pytest.fixture(scope="module")
def template() -> object:
    return catalogs.extract()


def test_every_catalog_has_every_message_translated(template: object) -> None:
    """Every message the templates and the code use is in the en and es catalogs, translated."""
    assert {"en", "es"} <= set(i18n.languages())
    for language in i18n.languages():
        assert catalogs.gaps(language, template) == [], language
    assert catalogs.main(["--check"]) == 0


def test_extraction_finds_the_words_of_templates_and_code(template: object) -> None:
    """Messages come from the templates (_ and ngettext) and from Python (gettext, N_)."""
    ids = {m.id for m in template if m.id}  # type: ignore[attr-defined]
    assert "Feedback log" in ids  # a template's _()
    assert ("%(num)d piece of feedback", "%(num)d pieces of feedback") in ids  # a template's ngettext
    assert "Partly accepted" in ids  # labels.py, marked N_
    assert "Draft — not yet circulated for comment" in ids  # building.py's gettext
    assert ("%(num)d accepted", "%(num)d accepted") in ids  # building.py's ngettext


def test_a_missing_or_untranslated_message_is_a_gap(
    template: object, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The completeness check fails when a catalog lacks a message or leaves one empty."""
    locale = tmp_path / "locale"
    shutil.copytree(i18n.LOCALE_DIR, locale)
    po = locale / "es" / "LC_MESSAGES" / "tdekit.po"
    text = po.read_text(encoding="utf-8")
    text = text.replace('msgid "Feedback log"\nmsgstr "Registro de comentarios"\n', "")
    text = text.replace('msgstr "Calendario"', 'msgstr ""')
    po.write_text(text, encoding="utf-8")
    monkeypatch.setattr(i18n, "LOCALE_DIR", locale)
    assert sorted(catalogs.gaps("es", template)) == ["missing: 'Feedback log'", "untranslated: 'Timeline'"]
    assert catalogs.main(["--check"]) == 1


def test_make_messages_keeps_translations_and_adds_new_messages(
    template: object, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Updating the catalogs adds a new message untranslated (English: as itself) and keeps the rest."""
    locale = tmp_path / "locale"
    shutil.copytree(i18n.LOCALE_DIR, locale)
    monkeypatch.setattr(i18n, "LOCALE_DIR", locale)
    extracted = copy.deepcopy(template)
    extracted.add("A brand new heading")  # type: ignore[attr-defined]
    monkeypatch.setattr(catalogs, "extract", lambda: extracted)
    assert catalogs.main([]) == 0
    spanish = catalogs.read("es")
    assert spanish.get("A brand new heading").string == ""
    assert spanish.get("Feedback log").string == "Registro de comentarios"
    assert catalogs.read("en").get("A brand new heading").string == "A brand new heading"
    assert catalogs.gaps("es", extracted) == ["untranslated: 'A brand new heading'"]
    assert catalogs.main([]) == 0  # a second run changes nothing
    assert catalogs.read("es").get("A brand new heading").string == ""


def test_a_message_that_goes_and_comes_back_keeps_its_translation(
    template: object, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A translated message no longer used is kept as obsolete (#~) and revived when it returns."""
    locale = tmp_path / "locale"
    shutil.copytree(i18n.LOCALE_DIR, locale)
    monkeypatch.setattr(i18n, "LOCALE_DIR", locale)
    full = copy.deepcopy(template)
    plural = ("%(num)d piece of feedback", "%(num)d pieces of feedback")
    fewer = copy.deepcopy(template)
    fewer.delete("Feedback log")  # type: ignore[attr-defined]
    fewer.delete(plural)  # type: ignore[attr-defined]
    monkeypatch.setattr(catalogs, "extract", lambda: fewer)
    assert catalogs.main([]) == 0
    text = (locale / "es" / "LC_MESSAGES" / "tdekit.po").read_text(encoding="utf-8")
    assert '#~ msgid "Feedback log"\n#~ msgstr "Registro de comentarios"\n' in text
    assert catalogs.read("es").get("Feedback log") is None
    assert catalogs.read("en").obsolete == {}  # English keeps none: its words are the messages
    monkeypatch.setattr(catalogs, "extract", lambda: full)
    assert catalogs.main([]) == 0
    spanish = catalogs.read("es")
    assert spanish.get("Feedback log").string == "Registro de comentarios"
    assert spanish.get(plural).string == ("%(num)d comentario", "%(num)d comentarios", "%(num)d comentarios")
    assert "Feedback log" not in spanish.obsolete and catalogs.main(["--check"]) == 0


@pytest.mark.parametrize("fmt", ["md", "html"])
def test_example_in_spanish_has_no_english_fixed_words(
    tde: Callable[..., Run], example: Path, fmt: str
) -> None:
    """The example's plan rendered with --lang es: none of the English fixed words are left."""
    english = tde("render", "plan", "--format", fmt, cwd=example)
    spanish = tde("render", "plan", "--format", fmt, "--lang", "es", cwd=example)
    assert (english.exit_code, spanish.exit_code) == (0, 0), (english, spanish)
    english_text = visible(english.stdout) if fmt == "html" else english.stdout
    spanish_text = visible(spanish.stdout) if fmt == "html" else spanish.stdout
    shown = [w for w in ENGLISH if w in english_text]  # the Markdown has no skip link or contents
    assert len(shown) == len(ENGLISH) if fmt == "html" else len(shown) >= len(ENGLISH) - 4
    assert [w for w in shown if w in spanish_text] == []
    for word in ("Registro de comentarios", "Cómo se hará el trabajo", "Saltar al contenido principal"):
        assert word in spanish_text or (fmt == "md" and word.startswith("Saltar"))
    if fmt == "html":
        assert '<html lang="es">' in spanish.stdout and '<html lang="en">' in english.stdout
        # Record text stays as written, in English, and says so.
        assert '<dd lang="en">Housing stability and eviction prevention</dd>' in spanish.stdout
        assert "ene–mar 2026" in spanish.stdout  # months written out by Babel


def test_language_in_tde_yaml_sets_the_words(tde: Callable[..., Run], example: Path) -> None:
    """language: es in tde.yaml renders in Spanish without --lang; --lang overrides it."""
    settings = example / "tde.yaml"
    settings.write_text(settings.read_text(encoding="utf-8") + "language: es\n", encoding="utf-8")
    assert tde("validate", cwd=example).exit_code == 0
    spanish = tde("render", "plan", "--format", "html", cwd=example)
    assert spanish.exit_code == 0, spanish
    assert '<html lang="es">' in spanish.stdout and "Registro de comentarios" in spanish.stdout
    # The records are the team's, in the project's language: no lang of their own then.
    assert '<dd lang="en">' not in spanish.stdout
    english = tde("render", "plan", "--format", "html", "--lang", "en", cwd=example)
    assert '<html lang="en">' in english.stdout and "Feedback log" in english.stdout
    assert '<dd lang="es">Housing stability and eviction prevention</dd>' in english.stdout


def test_a_language_without_a_catalog_is_refused(tde: Callable[..., Run], example: Path) -> None:
    """--lang xx exits 2 naming the languages there are; tde.yaml's is an error at its line."""
    result = tde("render", "plan", "--lang", "fr", cwd=example)
    assert result.exit_code == 2
    assert "--lang: tdekit has no catalog for language 'fr'; it has en, es" in result.stderr
    bad = tde("render", "plan", "--lang", "Spanish", cwd=example)
    assert bad.exit_code == 2 and "'Spanish' is not a language tag" in bad.stderr
    assert "Traceback" not in result.stderr + bad.stderr
    settings = example / "tde.yaml"
    lines = settings.read_text(encoding="utf-8").splitlines()
    settings.write_text("\n".join([*lines, "language: fr"]) + "\n", encoding="utf-8")
    checked = tde("validate", cwd=example)
    assert checked.exit_code == 2  # tde.yaml with an error: nothing else can be checked
    assert f"tde.yaml:{len(lines) + 1}:" in checked.stdout
    assert "tdekit has no catalog for language 'fr'" in checked.stdout


def test_a_regional_tag_uses_its_language_catalog(tde: Callable[..., Run], example: Path) -> None:
    """es-MX takes the es catalog, and the HTML says es-MX."""
    result = tde("render", "plan", "--format", "html", "--lang", "es-MX", cwd=example)
    assert result.exit_code == 0, result
    assert '<html lang="es-MX">' in result.stdout and "Registro de comentarios" in result.stdout


#: Fixed words of the report and the cards, each shown by the English rendering of the example.
REPORT_AND_CARDS_ENGLISH = {
    "report": (
        "What we heard, what we did", "Who we heard from", "Why this use case", "The plan in brief",
        "What you told us, and what we did", "Milestones", "Updates", "What came of it",
        "What we did", "Who sustains it",
    ),
    "cards": (
        "Workshop cards", "Use cases", "Dots", "The data it needs", "Goals", "What gets in the way",
        "Data needs", "Personas", "more dataset", "held by", "not yet published",
    ),
}


@pytest.mark.parametrize("document", sorted(REPORT_AND_CARDS_ENGLISH))
def test_report_and_cards_in_spanish_have_no_english_fixed_words(
    tde: Callable[..., Run], example: Path, document: str
) -> None:
    """The report and the workshop cards take --lang as the plan does: every fixed word the
    English rendering shows is gone from the Spanish one, and the HTML says its language."""
    fmt = ["--format", "html"] if document == "report" else []
    english = tde("render", document, *fmt, cwd=example)
    spanish = tde("render", document, *fmt, "--lang", "es", cwd=example)
    assert (english.exit_code, spanish.exit_code) == (0, 0), (english, spanish)
    words = REPORT_AND_CARDS_ENGLISH[document]
    assert [w for w in words if w not in visible(english.stdout)] == []
    assert [w for w in words if w in visible(spanish.stdout)] == []
    assert '<html lang="es">' in spanish.stdout
    if document == "cards":  # English articles are added in English only, as in the plan
        assert "Como a " not in spanish.stdout and "Como an " not in spanish.stdout
        assert "As a renter looking for a new apartment" in english.stdout
