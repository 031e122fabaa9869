"""Start-up stays lean: nothing heavy is imported before a command needs it.

``tde --help`` and ``tde --version`` import none of pydantic, ruamel.yaml, jinja2, markdown-it
or rich (typer's help does without rich under ``rich_markup_mode=None``). A run served from the
cache reads no YAML and checks nothing against the models, so it imports neither ruamel.yaml nor
the border that checks values, nor pydantic (which typer 0.29 and later would import for every
command but for ``tdekit.cli.coercion``).
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import EXAMPLES

#: The border that checks values against the models (tdekit.models before the models became
#: plain dataclasses that typed values from the cache are built from).
BORDER = ("tdekit.records.schema", "tdekit.records.settings")
HEAVY = ("pydantic", "ruamel", "jinja2", "markdown_it", "rich", "nh3", "tdekit.records.models", *BORDER)
READERS = ("ruamel", "jinja2", "markdown_it", "rich.markdown", "nh3", *BORDER)


def imported(*args: str, cwd: Path | None = None) -> set[str]:
    """The modules a fresh ``python -m tdekit ARGS`` imports (it must succeed)."""
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    done = subprocess.run(
        [sys.executable, "-X", "importtime", "-m", "tdekit", *args],
        capture_output=True, text=True, env=env, cwd=cwd, check=False,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    names = {
        line.rsplit("|", 1)[1].strip()
        for line in done.stderr.splitlines()
        if line.startswith("import time:") and "|" in line
    }
    assert "tdekit.cli" in names
    return names


def among(names: set[str], prefixes: tuple[str, ...]) -> list[str]:
    return sorted(n for n in names if any(n == p or n.startswith(p + ".") for p in prefixes))


@pytest.mark.parametrize("args", [("--help",), ("--version",)], ids=["--help", "--version"])
def test_help_and_version_import_nothing_heavy(args: tuple[str, ...]) -> None:
    """tde --help and --version load none of pydantic, ruamel, jinja2, markdown-it or rich."""
    assert among(imported(*args), HEAVY) == []


@pytest.mark.parametrize(
    "args",
    [("validate", "--help"), ("render", "plan", "--help"), ("score", "--help")],
    ids=["validate", "render plan", "score"],
)
def test_command_help_imports_no_reader(args: tuple[str, ...]) -> None:
    """A command's help loads no YAML reader, template engine, Markdown parser or model."""
    names = imported(*args)
    assert among(names, READERS) == []
    assert among(names, ("pydantic",)) == []


def test_warm_run_reads_no_yaml(tmp_path: Path) -> None:
    """tde validate served from the cache imports neither ruamel.yaml nor tdekit's models."""
    root = tmp_path / "example"
    shutil.copytree(EXAMPLES, root, ignore=shutil.ignore_patterns(".tde-cache"))
    cold = imported("validate", cwd=root)
    assert {"ruamel.yaml", "tdekit.records.models"} <= cold  # the first run reads and checks
    warm = imported("validate", cwd=root)
    assert among(warm, READERS) == []
    assert among(warm, ("pydantic",)) == []
