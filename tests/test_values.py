"""Typed record values: frozen instances of the models, the same from a fresh read and the cache."""

from __future__ import annotations

import dataclasses
import datetime as dt
import shutil
from pathlib import Path

import pytest

from conftest import EXAMPLES
from tdekit.fsio import LOCK_DIR
from tdekit.records import models
from tdekit.records.frontmatter import read_document
from tdekit.records.kinds import KINDS
from tdekit.records.project import load_project
from tdekit.records.schema import check_record
from tdekit.records.values import build, plain


@pytest.fixture
def example(tmp_path: Path) -> Path:
    root = tmp_path / "example"
    shutil.copytree(EXAMPLES, root, ignore=shutil.ignore_patterns(LOCK_DIR))
    return root


def test_values_are_frozen_instances_of_the_kind_model(example: Path) -> None:
    """Every valid record's values are its kind's class, lists as tuples, and cannot be changed."""
    project = load_project(example)
    assert project.records
    for record in project.records:
        assert record.valid, record.doc.problems
        values = record.values
        assert type(values) is KINDS[record.kind].model()
        assert isinstance(values.tags, tuple)
        with pytest.raises(dataclasses.FrozenInstanceError):
            values.title = "changed"  # type: ignore[misc]


def test_the_cache_gives_back_the_values_a_fresh_read_gives(example: Path) -> None:
    """Values built from the cache equal those pydantic returns when the file is read."""
    cold = load_project(example)
    warm = load_project(example)  # served from .tde-cache/ now
    assert (example / LOCK_DIR).is_dir()
    for record in warm.records:
        doc = read_document((example / record.rel).read_bytes(), record.rel)
        checked = check_record(doc, record.kind)
        assert checked is not None
        assert record.values == checked
        assert record.values == cold.by_id()[record.id].values
        assert record.data == plain(checked, doc.data)


def test_plain_data_has_the_fields_the_file_sets_in_the_model_order() -> None:
    """The plain form leaves out what the file leaves out, and orders fields as the model does."""
    raw = (
        b"---\nstatus: candidate\ntitle: Late buses\nid: late-buses\n"
        b"user_stories:\n  - so_that: we plan\n    as_a: rider\n    i_want: times\n---\n"
    )
    doc = read_document(raw, "usecases/late-buses.md")
    values = check_record(doc, "usecase")
    assert isinstance(values, models.UseCase)
    data = plain(values, doc.data)
    assert list(data) == ["id", "title", "status", "user_stories"]
    assert list(data["user_stories"][0]) == ["as_a", "i_want", "so_that"]
    assert build(models.UseCase, data) == values
    assert values.user_stories == (models.UserStory(as_a="rider", i_want="times", so_that="we plan"),)


def test_a_datetime_at_midnight_reads_as_the_date_it_is() -> None:
    """What the check turns into another type is kept as that type, in the values and the plain form."""
    raw = b"---\nid: p\ntitle: P\nrole: Rider\ncreated: 2026-03-01 00:00:00\n---\n"
    doc = read_document(raw, "personas/p.md")
    values = check_record(doc, "persona")
    assert values is not None and values.created == dt.date(2026, 3, 1)
    assert plain(values, doc.data)["created"] == dt.date(2026, 3, 1)
