"""Translated plans: ``translation_of`` and ``language``, held to their source by tde validate,
rendered in their language, linked from their source and back.

The example ships its plan in Spanish (plans/eviction-filings-release-plan-es.md); these tests
change copies of it in real git repositories.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

import pytest

from conftest import Run, git

SOURCE = "plans/eviction-filings-release-plan.md"
TRANSLATION = "plans/eviction-filings-release-plan-es.md"


def edit(root: Path, rel: str, old: str, new: str) -> int:
    """Replace ``old`` (once) in a file; the 1-based line where the change is."""
    path = root / rel
    text = path.read_text(encoding="utf-8")
    assert text.count(old) == 1, old
    path.write_text(text.replace(old, new), encoding="utf-8")
    return text[: text.index(old)].count("\n") + 1


def commit(root: Path, monkeypatch: pytest.MonkeyPatch, when: str, message: str) -> None:
    monkeypatch.setenv("GIT_AUTHOR_DATE", f"{when}T10:00:00+00:00")
    monkeypatch.setenv("GIT_COMMITTER_DATE", f"{when}T10:00:00+00:00")
    git(root, "add", "-A")
    git(root, "commit", "--quiet", "-m", message)


def problems(tde: Callable[..., Run], root: Path) -> list[str]:
    result = tde("validate", cwd=root)
    return [line for line in result.stdout.splitlines() if line]


def test_the_example_translation_validates(tde: Callable[..., Run], example: Path) -> None:
    result = tde("validate", "--strict", cwd=example)
    assert (result.exit_code, result.stdout) == (0, ""), result


def test_a_translation_for_another_use_case_is_an_error(tde: Callable[..., Run], example: Path) -> None:
    line = edit(example, TRANSLATION, "usecase: eviction-filings-by-neighborhood", "usecase: who-owns-my-building")
    found = problems(tde, example)
    assert f"{TRANSLATION}:{line}:10: error: this translation is for 'who-owns-my-building' but " \
        "'eviction-filings-release-plan', which it translates, is for 'eviction-filings-by-neighborhood'; " \
        "a translation is for the same use case [translation-other-usecase]" in found


def test_a_translation_with_fewer_activities_or_milestones_is_a_warning(
    tde: Callable[..., Run], example: Path
) -> None:
    edit(
        example, TRANSLATION,
        "  - Celebrar cada mes una reunión de 30 minutos con los socios sobre dónde aumentan las demandas\n", "",
    )
    edit(example, TRANSLATION, "  - what: Revisión a los seis meses con los socios\n    when: abril de 2027\n    who: Todos los socios\n", "")
    text = (example / TRANSLATION).read_text(encoding="utf-8").splitlines()
    activities = text.index("activities:") + 1
    milestones = text.index("milestones:") + 1
    found = problems(tde, example)
    assert f"{TRANSLATION}:{activities}:1: warning: this translation has 6 activities but " \
        "'eviction-filings-release-plan', which it translates, has 7; a translation says what its " \
        "source says [translation-differs]" in found
    assert any(p.startswith(f"{TRANSLATION}:{milestones}:1: warning: this translation has 4 milestones") for p in found)
    assert tde("validate", cwd=example).exit_code == 0  # warnings only
    assert tde("validate", "--strict", cwd=example).exit_code == 1


def test_a_translation_needs_a_language_with_a_catalog(tde: Callable[..., Run], example: Path) -> None:
    line = edit(example, TRANSLATION, "language: es\n", "language: vi\n")
    found = problems(tde, example)
    assert f"{TRANSLATION}:{line}:11: error: tdekit has no catalog for language 'vi'; it has en, es " \
        "(docs/translating.md) [unknown-language]" in found
    edit(example, TRANSLATION, "language: vi\n", "")
    found = problems(tde, example)
    assert f"{TRANSLATION}:{line}:1: error: a translation needs its language: add language: with a " \
        "BCP 47 tag such as es [translation-without-language]" in found


def test_a_translation_of_a_translation_or_of_nothing(tde: Callable[..., Run], example: Path) -> None:
    second = (example / TRANSLATION).read_text(encoding="utf-8")
    second = second.replace("id: eviction-filings-release-plan-es", "id: eviction-filings-release-plan-es-mx")
    second = second.replace("translation_of: eviction-filings-release-plan\n", "translation_of: eviction-filings-release-plan-es\n")
    (example / "plans" / "eviction-filings-release-plan-es-mx.md").write_text(second, encoding="utf-8")
    found = problems(tde, example)
    assert any(
        "eviction-filings-release-plan-es-mx.md" in p and "'eviction-filings-release-plan-es' is itself a translation "
        "(of 'eviction-filings-release-plan'); translate the plan it translates [translation-of-translation]" in p
        for p in found
    ), found
    edit(example, TRANSLATION, "translation_of: eviction-filings-release-plan\n", "translation_of: eviction-plan\n")
    found = problems(tde, example)
    assert any("[unknown-reference]" in p and p.startswith(TRANSLATION) and "'eviction-plan'" in p for p in found), found


def test_a_translation_older_than_its_source_is_a_warning(
    tde: Callable[..., Run], example: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """From git: the source committed after the translation was last committed."""
    edit(example, TRANSLATION, "tags: [plan,", "tags: [plan, translation,")
    commit(example, monkeypatch, "2030-07-01", "Tag the Spanish plan")  # after the example's commit
    assert not [p for p in problems(tde, example) if "translation-out-of-date" in p]
    edit(example, SOURCE, "status: circulated", "status: revised")
    assert not [p for p in problems(tde, example) if "translation-out-of-date" in p]  # not committed yet
    commit(example, monkeypatch, "2030-08-20", "Revise the plan after comment")
    line = (example / TRANSLATION).read_text(encoding="utf-8").splitlines().index(
        "translation_of: eviction-filings-release-plan"
    ) + 1
    found = problems(tde, example)
    assert f"{TRANSLATION}:{line}:17: warning: 'eviction-filings-release-plan' was changed (2030-08-20) after " \
        "this translation was last changed (2030-07-01); bring the translation up to date with it " \
        "[translation-out-of-date]" in found
    edit(example, TRANSLATION, "status: circulated", "status: revised")
    commit(example, monkeypatch, "2030-08-22", "Bring the Spanish plan up to date")
    assert not [p for p in problems(tde, example) if "translation-out-of-date" in p]


def test_default_choice_is_the_source_and_translations_render_in_their_language(
    tde: Callable[..., Run], example: Path
) -> None:
    """tde render plan (no PLAN) picks the selected use case's plan, not its translation."""
    english = tde("render", "plan", "--format", "html", cwd=example)
    assert english.exit_code == 0, english
    assert '<html lang="en">' in english.stdout
    assert "Draft plan: monthly eviction filings by neighborhood" in english.stdout
    assert re.search(
        r'<a href="eviction-filings-release-plan-es.html" hreflang="es" lang="es">Español</a>', english.stdout
    )
    spanish = tde("render", "plan", "eviction-filings-release-plan-es", "--format", "html", cwd=example)
    assert spanish.exit_code == 0, spanish
    assert '<html lang="es">' in spanish.stdout
    assert "<h1>Borrador del plan: demandas de desalojo por mes y por barrio</h1>" in spanish.stdout
    assert '<a href="eviction-filings-release-plan.html" hreflang="en" lang="en">English</a>' in spanish.stdout
    assert "Este plan en otros idiomas:" in spanish.stdout
    # The source's feedback log, its entries in the team's English, marked as such.
    assert 'Registro de comentarios' in spanish.stdout and '<div class="prose said" lang="en">' in spanish.stdout
    markdown = tde("render", "plan", "eviction-filings-release-plan-es", cwd=example)
    assert "Este plan en otros idiomas: [English](eviction-filings-release-plan.html)" in markdown.stdout


@pytest.mark.parametrize("fmt", ["md", "html"])
def test_the_gate_lets_through_links_to_the_projects_plans_only(fmt: str) -> None:
    """Besides the usual addresses, a link may go to <plan-id>.html of a plan the caller names."""
    from tdekit.publish import gate, reading

    siblings = frozenset({"eviction-filings-release-plan-es.html"})
    link = {
        "md": "# Plan\n\n[Español]({href})\n",
        "html": '<!DOCTYPE html>\n<html lang="en"><head><title>x</title></head><body>\n<a href="{href}">x</a>\n</body></html>\n',
    }[fmt]
    ours = reading.read(link.format(href="eviction-filings-release-plan-es.html"), fmt)
    assert list(gate.problems(ours, siblings)) == []
    assert [what for _, what in gate.problems(ours)] == [
        "<a href=...>: a link may only go to http, https, mailto or a #section of the page"
    ]
    other = reading.read(link.format(href="notes.html"), fmt)
    assert len(list(gate.problems(other, siblings))) == 1


def test_a_word_file_of_the_translation_is_in_spanish_and_links_to_no_file(
    tde: Callable[..., Run], example: Path
) -> None:
    """A Word file travels alone: the words are Spanish, the document's language es, and the
    links to the translations' HTML files are left out."""
    docx = pytest.importorskip("docx", reason="python-docx is in the test extra: pip install -e '.[test]'")
    out = example.parent / "plan-es.docx"
    result = tde("render", "plan", "eviction-filings-release-plan-es", "--format", "docx", "-o", str(out), cwd=example)
    assert result.exit_code == 0, result
    document = docx.Document(str(out))
    headings = [p.text for p in document.paragraphs if p.style.name.startswith("Heading")]
    assert "6 Cómo pedimos comentarios y qué hicimos con ellos" in headings
    assert document.core_properties.language == "es"
    text = "\n".join(p.text for p in document.paragraphs)
    assert "Este plan en otros idiomas" not in text and ".html" not in text
