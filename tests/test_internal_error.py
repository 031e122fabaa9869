"""A bug in tde itself is one line naming where it happened, exit 70, and no resident text.

The CLI tests run through CliRunner, which lets a bug fail the test; this is the net under the
installed ``tde`` script for bugs no test has found yet.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import EXAMPLES, REPO

SECRET = "Marisol's home address"

# Runs tde's entry point with project loading broken by a bug whose message quotes resident text.
BROKEN = f"""
import sys
import tdekit.records.project
from tdekit.cli.app import main

def broken(*args, **kwargs):
    raise RuntimeError({SECRET!r})

tdekit.records.project.load_project = broken
sys.argv = ["tde", *sys.argv[1:]]
main()
"""


def run(*args: str, debug: str | None = None, path: Path | None = None) -> subprocess.CompletedProcess[str]:
    """tde ARGS with a bug in it; ``path``: the folder to import tdekit from, if not this one."""
    env = {**os.environ, "NO_COLOR": "1", "TDE_NO_CACHE": "1"}
    env.pop("TDE_DEBUG", None)
    if debug is not None:
        env["TDE_DEBUG"] = debug
    if path is not None:
        env.update(PYTHONPATH=str(path), PYTHONSAFEPATH="1")
    return subprocess.run([sys.executable, "-c", BROKEN, *args], cwd=EXAMPLES, env=env,
                          capture_output=True, text=True, check=False)


#: The line of tdekit/cli/__init__.py that calls load_project, where the bug above is raised.
LOAD_LINE = next(
    number for number, line in enumerate((REPO / "src/tdekit/cli/__init__.py").read_text().splitlines(), 1)
    if line.strip().startswith("loaded = load_project(")
)


@pytest.mark.parametrize("args", [("validate",), ("score", "--format", "json"), ("render", "plan")])
def test_a_bug_is_one_line_without_its_message(args: tuple[str, ...]) -> None:
    done = run(*args)
    assert done.returncode == 70
    assert done.stdout == ""
    lines = done.stderr.splitlines()
    assert len(lines) == 1, done.stderr
    assert lines[0].startswith("error: internal error: RuntimeError in tdekit.cli, line ")
    assert "please report it" in lines[0]
    assert SECRET not in done.stderr
    assert "Traceback" not in done.stderr


def test_tde_debug_shows_the_traceback() -> None:
    done = run("validate", debug="1")
    assert done.returncode == 1
    assert "Traceback (most recent call last)" in done.stderr
    assert SECRET in done.stderr


def test_tde_debug_0_is_off() -> None:
    done = run("validate", debug="0")
    assert done.returncode == 70
    assert "Traceback" not in done.stderr


def test_the_example_is_untouched() -> None:
    """The runs above read the shipped example with the cache off: nothing was written there."""
    run("validate")
    assert not (Path(EXAMPLES) / ".tde-cache").exists()


@pytest.fixture
def checkout_named_tdekit(tmp_path: Path) -> Path:
    """The source tree copied into a folder named tdekit, as ``git clone`` names it; returns
    its src/ folder."""
    clone = tmp_path / "tdekit"
    for folder in ("src", "templates", "examples"):
        shutil.copytree(REPO / folder, clone / folder,
                        ignore=shutil.ignore_patterns("__pycache__", ".tde-cache"))
    return clone / "src"


def test_the_module_is_named_in_a_checkout_in_a_folder_named_tdekit(checkout_named_tdekit: Path) -> None:
    """Run from a clone in a folder named tdekit, the message names tdekit.cli, not the path."""
    traced = run("validate", path=checkout_named_tdekit, debug="1")
    assert f'File "{checkout_named_tdekit / "tdekit" / "cli" / "__init__.py"}"' in traced.stderr
    done = run("validate", path=checkout_named_tdekit)
    assert done.returncode == 70, done.stderr
    assert done.stderr.startswith(f"error: internal error: RuntimeError in tdekit.cli, line {LOAD_LINE}. "), done.stderr


@pytest.mark.slow
def test_the_module_is_named_when_installed_from_the_wheel(installed_wheel: tuple[Path, Path]) -> None:
    """Installed from the wheel (into a folder inside one named tdekit), the same message."""
    _, target = installed_wheel
    traced = run("validate", path=target, debug="1")
    assert f'File "{target / "tdekit" / "cli" / "__init__.py"}"' in traced.stderr
    done = run("validate", path=target)
    assert done.returncode == 70, done.stderr
    assert done.stderr.startswith(f"error: internal error: RuntimeError in tdekit.cli, line {LOAD_LINE}. "), done.stderr
