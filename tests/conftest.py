"""Shared fixtures: a deterministic terminal, the CLI runner, and ready-made projects."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest
from typer.testing import CliRunner

from tdekit import output
from tdekit.cli.app import app

REPO = Path(__file__).resolve().parent.parent
EXAMPLES = REPO / "examples"
#: What consent withholds in the shipped example: a private interviewee and organisation, a
#: private feedback source, and anonymous interviewees and sources (shown by role only).
EXAMPLE_WITHHELD = (
    "Sam Whitaker", "Riverton Courier", "Court Clerk's office staff member",
    "Tenant, Eastside", "Resident, Northside",
)
#: Set to anything but empty to write the expected output of the golden tests (score, render,
#: the validate corpus) from what tde prints now, instead of comparing with it.
UPDATE_GOLDEN = bool(os.environ.get("UPDATE_GOLDEN"))


def assert_golden(text: str, expected: Path) -> None:
    """``text`` is the golden file ``expected``, byte for byte; with UPDATE_GOLDEN set,
    ``expected`` is written from ``text`` first (read the diff before committing it)."""
    if UPDATE_GOLDEN:
        expected.parent.mkdir(parents=True, exist_ok=True)
        expected.write_text(text, encoding="utf-8")
    assert expected.is_file(), f"{expected} is missing; write it with UPDATE_GOLDEN=1 pytest"
    assert text == expected.read_text(encoding="utf-8")


@pytest.fixture(autouse=True)
def _terminal(monkeypatch: pytest.MonkeyPatch, tmp_path_factory: pytest.TempPathFactory) -> None:
    """No colour, a wide terminal, a fixed identity for git, the cache on: the same everywhere.

    The user's cache folder (where tde keeps the key that signs project caches) is a fresh
    folder of each test's own, so no test reads or writes the real home.
    """
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path_factory.mktemp("user-cache")))
    monkeypatch.setenv("NO_COLOR", "1")
    monkeypatch.setenv("COLUMNS", "120")
    monkeypatch.delenv("FORCE_COLOR", raising=False)
    monkeypatch.delenv("TDE_NO_CACHE", raising=False)  # the tests of the cache need it on
    monkeypatch.setenv("GIT_AUTHOR_NAME", "Test Author")
    monkeypatch.setenv("GIT_AUTHOR_EMAIL", "author@example.org")
    monkeypatch.setenv("GIT_COMMITTER_NAME", "Test Author")
    monkeypatch.setenv("GIT_COMMITTER_EMAIL", "author@example.org")
    monkeypatch.setenv("GIT_CONFIG_GLOBAL", "/dev/null")
    monkeypatch.setenv("GIT_CONFIG_NOSYSTEM", "1")


class Run:
    """The result of one ``tde`` invocation through CliRunner."""

    def __init__(self, exit_code: int, stdout: str, stderr: str, exception: BaseException | None):
        self.exit_code = exit_code
        self.stdout = stdout
        self.stderr = stderr
        self.exception = exception

    def __repr__(self) -> str:
        return f"Run(exit={self.exit_code}, stdout={self.stdout!r}, stderr={self.stderr!r})"


@pytest.fixture
def tde(monkeypatch: pytest.MonkeyPatch) -> Callable[..., Run]:
    """Run ``tde ARGS`` in a folder (``cwd=``), returning exit code, stdout and stderr.

    An exception other than SystemExit escaping the CLI is a bug: it fails the test.
    """

    def run(*args: str, cwd: Path | None = None, input: str | None = None) -> Run:
        if cwd is not None:
            monkeypatch.chdir(cwd)
        # Each real run makes its consoles afresh, sized by the COLUMNS of that run.
        output.stdout.cache_clear()
        output.stderr.cache_clear()
        result = CliRunner().invoke(app, list(args), input=input, catch_exceptions=True)
        if result.exception is not None and not isinstance(result.exception, SystemExit):
            raise result.exception
        return Run(result.exit_code, result.stdout, result.stderr, result.exception)

    return run


#: A day of the example's story (2026-09-21): its revised plan is out for comment until
#: 2026-09-25. Tests on the example run on that day (``SOURCE_DATE_EPOCH``), unless they set
#: another, so that the example is as clean as it is in its story (``make demo`` does the same).
STORY_DAY = "1790000000"


@pytest.fixture
def story_day(monkeypatch: pytest.MonkeyPatch) -> None:
    """Today is a day of the example's story (see STORY_DAY), unless the test set another."""
    monkeypatch.setenv("SOURCE_DATE_EPOCH", os.environ.get("SOURCE_DATE_EPOCH") or STORY_DAY)


@pytest.fixture
def example(tmp_path: Path, story_day: None) -> Path:
    """A copy of the shipped example project, committed to a fresh git repository, on a day of
    its story."""
    root = tmp_path / "example"
    shutil.copytree(EXAMPLES, root)
    git(root, "init", "--quiet")
    git(root, "add", "-A")
    git(root, "commit", "--quiet", "-m", "Example project")
    return root


@pytest.fixture
def empty_project(tmp_path: Path, tde: Callable[..., Run]) -> Path:
    """A project made by ``tde init --no-git``."""
    root = tmp_path / "project"
    result = tde("init", str(root), "--name", "Test project", "--no-git")
    assert result.exit_code == 0, result
    return root


def git(cwd: Path, *args: str) -> str:
    """Run real git in ``cwd`` and return its output."""
    done = subprocess.run(["git", *args], cwd=cwd, capture_output=True, text=True, check=True)
    return done.stdout


@pytest.fixture(scope="session")
def installed_wheel(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """(wheel, target): the wheel built from the source tree, and the folder it is installed in
    on its own, inside a folder named tdekit as a clone of the repository is.

    Building uses the project's own backend (hatchling, from the ``test`` extra) without build
    isolation, so it needs no network.
    """
    base = tmp_path_factory.mktemp("install") / "tdekit"
    wheels, target = base / "wheels", base / "site-packages"
    pip = [sys.executable, "-m", "pip", "--disable-pip-version-check", "--no-input", "--quiet"]
    subprocess.run(
        [*pip, "wheel", "--no-deps", "--no-build-isolation", "-w", str(wheels), str(REPO)],
        check=True, capture_output=True,
    )
    (wheel,) = wheels.glob("tdekit-*.whl")
    subprocess.run(
        [*pip, "install", "--no-deps", "--no-compile", "--target", str(target), str(wheel)],
        check=True, capture_output=True,
    )
    return wheel, target
