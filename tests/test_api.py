"""The Python API of ``tdekit.__all__``, called directly: the core without the command line."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

import tdekit
from conftest import EXAMPLES
from tdekit.fsio import LOCK_DIR
from tdekit.records.models import UseCase


@pytest.fixture
def project_folder(tmp_path: Path) -> Path:
    root = tmp_path / "example"
    shutil.copytree(EXAMPLES, root, ignore=shutil.ignore_patterns(LOCK_DIR))
    return root


def test_every_name_of_the_api_is_there() -> None:
    """Each name in __all__ resolves, and an unknown one is an AttributeError."""
    for name in tdekit.__all__:
        assert getattr(tdekit, name) is not None
    with pytest.raises(AttributeError):
        tdekit.nothing_of_the_kind  # type: ignore[attr-defined]  # noqa: B018


def test_import_tdekit_loads_nothing_else() -> None:
    """import tdekit imports no other module of tdekit, nor anything heavy."""
    code = "import sys, tdekit; print(sorted(m for m in sys.modules if m.startswith(('tdekit', 'pydantic', 'ruamel'))))"
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "['tdekit']"


@pytest.mark.usefixtures("story_day")
def test_open_validate_score_and_render(project_folder: Path) -> None:
    """The example opens from a subfolder, validates clean, ranks, and renders its plan."""
    project = tdekit.open_project(project_folder / "usecases")
    assert project.root == project_folder.resolve()
    assert tdekit.validate_project(project) == []
    ranking = tdekit.score_usecases(project)
    assert [s.rank for s in ranking] == sorted(s.rank for s in ranking)
    leader = project.by_id()[ranking[0].id]
    assert isinstance(leader.values, UseCase)
    assert ranking[0].title == leader.values.title
    assert tdekit.check_robustness(ranking).leaders == (ranking[0].id,)
    text = tdekit.render_plan(project)
    assert text.startswith("# Draft plan: monthly eviction filings by neighborhood\n")
    assert "<html" in tdekit.render_plan(project, "eviction-filings-release-plan", fmt="html")
    spanish = tdekit.render_plan(project, fmt="html", lang="es")
    assert '<html lang="es">' in spanish and "Registro de comentarios" in spanish
    translation = tdekit.render_plan(project, "eviction-filings-release-plan-es")
    assert translation.startswith("# Borrador del plan: demandas de desalojo por mes y por barrio\n")
    assert "## 6 Cómo pedimos comentarios y qué hicimos con ellos" in translation
    assert "## 6 How we asked" in tdekit.render_plan(project)  # the language was only for those calls


def test_validate_reports_a_problem_as_data(project_folder: Path) -> None:
    """A broken record is a Problem with its path, line, column, code and message."""
    path = project_folder / "usecases" / "who-owns-my-building.md"
    path.write_text(path.read_text(encoding="utf-8").replace("status: ", "status: chosen # ", 1), encoding="utf-8")
    problems = tdekit.validate_project(tdekit.load_project(project_folder))
    [problem] = [p for p in problems if p.severity == "error"]
    assert (problem.path, problem.code) == ("usecases/who-owns-my-building.md", "invalid-choice")
    assert problem.line is not None and problem.column is not None


@pytest.mark.usefixtures("story_day")
def test_write_a_record_and_set_a_field(project_folder: Path) -> None:
    """write_record and set_fields make a record the project then reads as valid."""
    raw = tdekit.write_record(
        "update", {"id": "route-4", "title": "Route 4 is back", "plan": "eviction-filings-release-plan"},
        "Route 4 runs again from Monday.",  # the template's prompt left in place would be a warning
    )
    raw = tdekit.set_fields(raw, {"channel": "website", "audience": ["Northside renters"]})
    (project_folder / "updates").mkdir(exist_ok=True)
    (project_folder / "updates" / "route-4.md").write_bytes(raw)
    project = tdekit.load_project(project_folder)
    record = project.by_id()["route-4"]
    assert tdekit.validate_project(project) == []
    assert record.values is not None
    assert record.values.audience == ("Northside renters",)  # type: ignore[attr-defined]
    assert tdekit.KINDS[record.kind].folder == "updates"


def test_errors_carry_a_message_and_an_exit_code(project_folder: Path) -> None:
    """A plan that does not exist is a TdeError, exit code 1, with a did-you-mean."""
    with pytest.raises(tdekit.TdeError) as refused:
        tdekit.render_plan(tdekit.load_project(project_folder), "eviction-filings-release-pln")
    assert refused.value.exit_code == 1
    assert "did you mean 'eviction-filings-release-plan'?" in refused.value.message
