"""The benchmark's generated project is a valid one, so the benchmark times real work."""

from __future__ import annotations

import json
import subprocess
import sys
from collections import Counter
from collections.abc import Callable
from pathlib import Path

from conftest import REPO, Run

GENERATE = REPO / "benchmarks" / "generate.py"


def generate(root: Path, records: int, seed: int = 7) -> None:
    subprocess.run(
        [sys.executable, str(GENERATE), str(root), str(records), "--seed", str(seed)],
        check=True, capture_output=True,
    )


def test_generated_project_validates_clean(tde: Callable[..., Run], tmp_path: Path) -> None:
    """A generated project of 60 records passes tde validate --strict with nothing to report."""
    root = tmp_path / "generated"
    generate(root, 60)
    result = tde("validate", "--strict", cwd=root)
    assert (result.exit_code, result.stdout) == (0, "")
    assert result.stderr == "60 records checked: no problems\n"


def test_generated_project_has_the_brief_shape(tde: Callable[..., Run], tmp_path: Path) -> None:
    """Half interviews, a quarter use cases, one selected use case, every plan for it."""
    root = tmp_path / "generated"
    generate(root, 60)
    records = json.loads(tde("list", "--format", "json", cwd=root).stdout)
    kinds = Counter(r["kind"] for r in records)
    assert kinds == {"interview": 30, "usecase": 15, "persona": 6, "feedback": 6, "plan": 3}
    selected = [r["id"] for r in records if r["kind"] == "usecase" and r["status"] == "selected"]
    assert len(selected) == 1
    assert {r["usecase"] for r in records if r["kind"] == "plan"} == set(selected)
    sizes = [len(p.read_bytes()) for p in root.glob("*/*.md")]
    assert min(sizes) > 1024


def test_same_seed_gives_the_same_project(tmp_path: Path) -> None:
    """The generator is seeded: two runs with one seed write identical files."""
    generate(tmp_path / "a", 20)
    generate(tmp_path / "b", 20)
    files_a = {p.relative_to(tmp_path / "a"): p.read_bytes() for p in (tmp_path / "a").rglob("*.*")}
    files_b = {p.relative_to(tmp_path / "b"): p.read_bytes() for p in (tmp_path / "b").rglob("*.*")}
    assert files_a == files_b
