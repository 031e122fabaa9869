"""The registry of kinds (tdekit.records.kinds) agrees with the models, the templates and itself."""

from __future__ import annotations

import dataclasses
import typing
from typing import Any

import pytest

from conftest import REPO
from tdekit.records.kinds import FOLDERS, KINDS, REFERENCES, STATUS_FIELD, KindSpec, kind_for


def fields_of(model: type[Any]) -> dict[str, Any]:
    """Field name -> annotation, for a pydantic model or a dataclass."""
    hints = typing.get_type_hints(model)
    names = getattr(model, "model_fields", None) or [f.name for f in dataclasses.fields(model)]
    return {name: hints[name] for name in names}


@pytest.mark.parametrize("spec", list(KINDS.values()), ids=list(KINDS))
def test_every_field_a_spec_names_is_a_field_of_its_model(spec: KindSpec) -> None:
    """References, status, columns and consent name fields the model has."""
    fields = fields_of(spec.model())
    named = [*spec.references, *spec.columns]
    named += [f for f in (spec.status_field, spec.consent_field) if f is not None]
    assert [f for f in named if f not in fields] == []
    assert sorted(spec.keep_first) == sorted(spec.columns)
    assert set(spec.wrap) <= set(spec.columns)


@pytest.mark.parametrize("spec", [s for s in KINDS.values() if s.status_field], ids=lambda s: s.name)
def test_statuses_are_the_choices_of_the_status_field(spec: KindSpec) -> None:
    """The statuses the registry lists (for tde list --status) are those the model accepts."""
    assert spec.status_field is not None
    assert typing.get_args(fields_of(spec.model())[spec.status_field]) == spec.statuses


@pytest.mark.parametrize("spec", list(KINDS.values()), ids=list(KINDS))
def test_every_kind_has_its_template_and_its_own_folder(spec: KindSpec) -> None:
    """tde new finds a shipped template for each kind; no two kinds share a folder."""
    assert (REPO / "templates" / spec.template).is_file()
    assert list(FOLDERS.values()).count(spec.folder) == 1
    assert kind_for(spec.folder) == kind_for(spec.name) == spec.name


def test_the_views_are_the_registry() -> None:
    """FOLDERS, REFERENCES and STATUS_FIELD say what the specs say, every target a kind."""
    assert {name: spec.folder for name, spec in KINDS.items()} == FOLDERS
    assert set(REFERENCES.values()) <= set(KINDS)
    assert {n: s.status_field for n, s in KINDS.items() if s.status_field} == STATUS_FIELD


@pytest.mark.parametrize("spec", list(KINDS.values()), ids=list(KINDS))
def test_the_choices_a_template_lists_are_those_of_the_model(spec: KindSpec) -> None:
    """Where a template's comment lists a field's choices, it lists the model's, in its order."""
    from tdekit.records.frontmatter import read_document
    from tdekit.scaffold import write_record

    raw = write_record(spec.name, {"id": "x", "title": "X"})
    doc = read_document(raw, "x.md")
    lines = doc.text.splitlines()
    model, checked = spec.model(), 0
    for path, span in doc.key_spans.items():
        annotation = fields_of(model).get(str(path[0])) if len(path) == 1 else None
        if len(path) == 2 and path[0] == "intervention":
            annotation = fields_of(typing.get_type_hints(model)["intervention"]).get(str(path[1]))
        choices = [a for arg in typing.get_args(annotation) or () for a in (typing.get_args(arg) or [arg])]
        choices = [c for c in choices if isinstance(c, str)]
        if annotation is None or not choices:
            continue
        comment = lines[span.line - 1].partition("#")[2]
        words = [w.strip(" ,()") for w in comment.replace(",", " ").split()]
        assert [w for w in words if w in choices] == choices, (path, comment)
        checked += 1
    assert checked >= 1  # every kind has a choice its template explains
