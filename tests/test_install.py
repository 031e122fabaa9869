"""The built wheel ships its templates and example, and works when installed on its own.

The wheel is built and installed once for the session (``installed_wheel`` in conftest.py).
"""

from __future__ import annotations

import os
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from conftest import EXAMPLES, REPO

pytestmark = pytest.mark.slow


def run(target: Path, cwd: Path, *args: str) -> subprocess.CompletedProcess[str]:
    """``python -m tdekit ARGS`` with only the installed copy of tdekit importable."""
    env = {**os.environ, "PYTHONPATH": str(target), "NO_COLOR": "1", "PYTHONSAFEPATH": "1"}
    return subprocess.run(
        [sys.executable, *args], cwd=cwd, env=env, capture_output=True, text=True
    )


def test_the_wheel_contains_the_templates_and_the_example(installed_wheel: tuple[Path, Path]) -> None:
    """Every record template, the settings template and the whole example are in the wheel."""
    wheel, _ = installed_wheel
    names = set(zipfile.ZipFile(wheel).namelist())
    for kind in ("interview", "persona", "usecase", "plan", "feedback"):
        assert f"tdekit/templates/records/{kind}.md.j2" in names
    assert "tdekit/templates/tde.yaml.j2" in names
    assert "tdekit/examples/tde.yaml" in names
    for language in ("en", "es"):  # the message catalogs, read at run time
        assert f"tdekit/locale/{language}/LC_MESSAGES/tdekit.po" in names
    listed = subprocess.run(
        ["git", "ls-files", "--cached", "--others", "--exclude-standard", "templates", "examples"],
        cwd=REPO, capture_output=True, text=True, check=True,
    ).stdout.splitlines()
    shipped = {"tdekit/" + rel for rel in listed if (REPO / rel).is_file()}
    assert shipped <= names
    assert not [n for n in names if ".tde-cache" in n or "__pycache__" in n]


def test_the_installed_package_is_the_one_that_runs(
    installed_wheel: tuple[Path, Path], tmp_path: Path
) -> None:
    """With PYTHONPATH at the install, tdekit is imported from there, not the source tree."""
    _, target = installed_wheel
    code = (
        "import tdekit; from tdekit.templating import shipped_dir; "
        "print(tdekit.__file__); print(shipped_dir('templates')); print(shipped_dir('examples'))"
    )
    done = run(target, tmp_path, "-c", code)
    assert done.returncode == 0, done.stderr
    assert [Path(line) for line in done.stdout.splitlines()] == [
        target / "tdekit" / "__init__.py",
        target / "tdekit" / "templates",
        target / "tdekit" / "examples",
    ]
    version = run(target, tmp_path, "-m", "tdekit", "--version")
    assert version.returncode == 0, version.stderr
    assert version.stdout.startswith("tde ")


def test_the_installed_package_scaffolds_from_its_own_templates(
    installed_wheel: tuple[Path, Path], tmp_path: Path
) -> None:
    """'new' and 'init --example' work from the install, with the templates the wheel carries."""
    _, target = installed_wheel
    project = tmp_path / "project"
    done = run(target, tmp_path, "-m", "tdekit", "init", str(project), "--no-git")
    assert done.returncode == 0, done.stderr
    done = run(target, project, "-m", "tdekit", "new", "interview", "X")
    assert done.returncode == 0, done.stderr
    assert done.stdout == "interviews/x.md\n"
    assert "## What we heard" in (project / "interviews" / "x.md").read_text()

    # A cache left in the installed example (tde run there once) is not copied along.
    cache = target / "tdekit" / "examples" / ".tde-cache"
    cache.mkdir(exist_ok=True)
    (cache / "records.pickle").write_bytes(b"not part of the example")
    example = tmp_path / "example"
    done = run(target, tmp_path, "-m", "tdekit", "init", str(example), "--example", "--no-git")
    assert done.returncode == 0, done.stderr
    assert not (example / ".tde-cache").exists()
    for path in EXAMPLES.rglob("*"):
        if path.is_file() and ".tde-cache" not in path.parts:
            rel = path.relative_to(EXAMPLES)
            assert (example / rel).read_bytes() == (target / "tdekit" / "examples" / rel).read_bytes()
    listed = run(target, example, "-m", "tdekit", "list", "--format", "json")
    assert listed.returncode == 0, listed.stderr
    spanish = run(target, example, "-m", "tdekit", "render", "plan", "--lang", "es")
    assert spanish.returncode == 0, spanish.stderr
    assert "## 6 Cómo pedimos comentarios y qué hicimos con ellos" in spanish.stdout
