"""Output that cannot be written (a full disk) is one error line and exit 1, never a traceback."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import EXAMPLES

FULL = Path("/dev/full")

pytestmark = pytest.mark.skipif(not FULL.exists(), reason="needs /dev/full (Linux)")


@pytest.fixture(scope="module")
def example(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One copy of the example for the module: with the cache off, these runs write nothing."""
    root = tmp_path_factory.mktemp("output") / "example"
    shutil.copytree(EXAMPLES, root)
    return root


def run(args: list[str], cwd: Path, *, stdout: Path | None = None, stderr: Path | None = None) -> tuple[int, str]:
    """Run ``python -m tdekit ARGS`` with stdout (or stderr) sent to a file; (exit code, stderr)."""
    env = {**os.environ, "NO_COLOR": "1", "TDE_NO_CACHE": "1"}
    with (stdout or Path(os.devnull)).open("w") as out, (stderr or Path(os.devnull)).open("w") as err:
        if stderr is None:
            done = subprocess.run([sys.executable, "-m", "tdekit", *args], cwd=cwd, env=env,
                                  stdout=out, stderr=subprocess.PIPE, text=True, check=False)
            return done.returncode, done.stderr
        done = subprocess.run([sys.executable, "-m", "tdekit", *args], cwd=cwd, env=env,
                              stdout=out, stderr=err, text=True, check=False)
        return done.returncode, ""


@pytest.mark.parametrize(
    "args",
    [["validate", "--format", "json"], ["list"], ["status"], ["schema"], ["--version"]],
    ids=" ".join,
)
def test_a_full_stdout_is_one_error_line(example: Path, args: list[str]) -> None:
    """stdout on a full device: one line on stderr saying so, exit 1, no traceback."""
    code, stderr = run(args, example, stdout=FULL)
    assert code == 1
    assert stderr.endswith("error: cannot write to stdout: No space left on device\n")
    assert "Traceback" not in stderr
    assert "Exception ignored" not in stderr


@pytest.mark.usefixtures("story_day")
def test_a_full_stderr_still_exits_1_quietly(example: Path, tmp_path: Path) -> None:
    """When stderr itself cannot be written, the exit code says it: 1, and stdout is whole."""
    out = tmp_path / "out.json"
    code, _ = run(["validate", "--format", "json"], example, stdout=out, stderr=FULL)
    assert code == 1
    assert out.read_text() == "[]\n"


def test_a_closed_stdout_is_one_error_line(example: Path) -> None:
    """Started with stdout closed, tde says so in one line and exits 1, instead of a traceback."""
    env = {**os.environ, "NO_COLOR": "1", "TDE_NO_CACHE": "1"}
    done = subprocess.run([sys.executable, "-m", "tdekit", "list"], cwd=example, env=env,
                          stderr=subprocess.PIPE, text=True, check=False,
                          preexec_fn=lambda: os.close(1))
    assert (done.returncode, done.stderr) == (1, "error: cannot write to stdout: it is closed\n")
