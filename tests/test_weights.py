"""Scoring weights follow one rule wherever they come from: tde.yaml, --weight, the ranking."""

from __future__ import annotations

import json
import shutil
import tempfile
from collections.abc import Callable
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import REPO, Run

FIXTURE = REPO / "tests" / "fixtures" / "scoring" / "project"
ALL_ZERO = "every scoring weight is zero; give at least one criterion a weight above 0"


def with_weights(root: Path, weights: dict[str, str]) -> None:
    """Copy the scoring fixture to ``root`` with these weights (as YAML text) in tde.yaml."""
    if root.exists():
        shutil.rmtree(root)
    shutil.copytree(FIXTURE, root)
    settings_file = root / "tde.yaml"
    lines = settings_file.read_text(encoding="utf-8").splitlines(keepends=True)
    criterion = None
    for index, line in enumerate(lines):
        if line.startswith("    ") and not line.startswith("      "):
            criterion = line.strip().rstrip(":")
        elif line.strip().startswith("weight:") and criterion in weights:
            lines[index] = f"      weight: {weights[criterion]}\n"
    settings_file.write_text("".join(lines), encoding="utf-8")


def test_validate_reports_all_zero_weights_at_the_criteria(tde: Callable[..., Run], tmp_path: Path) -> None:
    """Every weight 0: validate exits 1 with one error at the line of 'criteria:' in tde.yaml."""
    with_weights(tmp_path, {"capacity": "0", "interest": "0.0", "impact": "0"})
    run = tde("validate", "--format", "json", cwd=tmp_path)
    assert run.exit_code == 1, run
    problems = [p for p in json.loads(run.stdout) if p["path"] == "tde.yaml"]
    assert problems == [{
        "path": "tde.yaml", "line": 8, "column": 3, "severity": "error",
        "code": "all-weights-zero", "message": ALL_ZERO,
    }]
    assert "  criteria:" in (tmp_path / "tde.yaml").read_text().splitlines()[7]


def test_score_points_at_the_line_validate_reports(tde: Callable[..., Run], tmp_path: Path) -> None:
    """tde score refuses all-zero weights naming the same place and words as tde validate."""
    with_weights(tmp_path, {"capacity": "0", "interest": "0", "impact": "0"})
    run = tde("score", cwd=tmp_path)
    assert (run.exit_code, run.stdout) == (2, "")
    assert run.stderr == f"error: tde.yaml:8:3: {ALL_ZERO}\n"


def test_status_counts_all_zero_weights_as_an_error_to_fix(tde: Callable[..., Run], tmp_path: Path) -> None:
    """tde status still reports where the project stands, and sends the team to tde validate."""
    with_weights(tmp_path, {"capacity": "0", "interest": "0", "impact": "0"})
    run = tde("status", "--format", "json", cwd=tmp_path)
    assert run.exit_code == 0, run
    report = json.loads(run.stdout)
    assert report["next"][0].startswith("fix ")
    assert report["next"][0].endswith(": run tde validate")


@pytest.mark.parametrize(
    ("yaml_value", "option", "message"),
    [
        ("-0.5", "-0.5", "a weight cannot be negative"),
        (".nan", "nan", "a weight must be a finite number, not .nan"),
        (".inf", "inf", "a weight must be a finite number, not .inf"),
    ],
)
def test_a_bad_weight_reads_the_same_in_tde_yaml_and_in_weight(
    tde: Callable[..., Run], tmp_path: Path, yaml_value: str, option: str, message: str
) -> None:
    """The same bad weight gets the same words from validate (tde.yaml) and from --weight."""
    with_weights(tmp_path / "settings", {"capacity": yaml_value})
    check = tde("validate", "--format", "json", cwd=tmp_path / "settings")
    assert check.exit_code == 2
    assert [p["message"] for p in json.loads(check.stdout) if p["path"] == "tde.yaml"] == [message]
    with_weights(tmp_path / "option", {})
    run = tde("score", "--weight", f"capacity={option}", cwd=tmp_path / "option")
    assert run.exit_code == 2
    assert run.stderr == f"error: --weight 'capacity={option}': {message}\n"


@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(st.sampled_from(["0", "0.0", "0.25", "1", "3"]), min_size=3, max_size=3))
def test_validate_and_score_agree_on_every_set_of_weights(tde: Callable[..., Run], weights: list[str]) -> None:
    """Whatever the weights, validate finds the all-zero error exactly when score refuses them."""
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder) / "project"
        with_weights(root, dict(zip(("capacity", "interest", "impact"), weights, strict=True)))
        check = tde("validate", "--format", "json", cwd=root)
        flagged = any(p["code"] == "all-weights-zero" for p in json.loads(check.stdout))
        refused = tde("score", cwd=root).exit_code == 2
        assert flagged == refused
        assert flagged == all(float(w) == 0 for w in weights)
