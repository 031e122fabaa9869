"""A bug in tde itself is one line naming where it happened, exit 70, and no resident text.

The CLI tests run through CliRunner, which lets a bug fail the test; this is the net under the
installed ``tde`` script for bugs no test has found yet.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import EXAMPLES

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


def run(*args: str, debug: str | None = None) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "NO_COLOR": "1", "TDE_NO_CACHE": "1"}
    env.pop("TDE_DEBUG", None)
    if debug is not None:
        env["TDE_DEBUG"] = debug
    return subprocess.run([sys.executable, "-c", BROKEN, *args], cwd=EXAMPLES, env=env,
                          capture_output=True, text=True, check=False)


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
