"""``--format json``: one item per line for scripts, indented at a terminal, same content."""

from __future__ import annotations

import json
import os
import pty
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from conftest import Run

#: Commands whose JSON is a list.
LISTS = [
    ["list", "--format", "json"],
    ["list", "interview", "--format", "json"],
    ["score", "--format", "json", "--explain"],
    ["validate", "--format", "json"],
]


def items_by_line(text: str) -> list[Any]:
    """The items of a JSON list written one per line, each parsed from its own line."""
    lines = text.split("\n")
    assert lines[0] == "[" and lines[-2:] == ["]", ""], text[:200]
    body = lines[1:-2]
    return [json.loads(line.removesuffix(",")) for line in body]


@pytest.mark.parametrize("args", LISTS, ids=lambda args: " ".join(args[:2]))
def test_lists_come_one_item_per_line(args: list[str], example: Path, tde: Callable[..., Run]) -> None:
    """Piped, each item of the list is one line of valid JSON, and the whole is valid JSON too."""
    usecase = example / "usecases" / "who-owns-my-building.md"  # a problem for validate to list
    usecase.write_text(usecase.read_text(encoding="utf-8").replace("status: candidate", "status: candidat"))
    run = tde(*args, cwd=example)
    assert run.exit_code in (0, 1), run
    whole = json.loads(run.stdout)
    assert isinstance(whole, list) and len(whole) >= 1
    assert items_by_line(run.stdout) == whole


def test_an_empty_list_is_one_line(empty_project: Path, tde: Callable[..., Run]) -> None:
    """Nothing to list is written as [] on a line of its own."""
    run = tde("list", "--format", "json", cwd=empty_project)
    assert run.stdout == "[]\n"


def test_content_matches_the_indented_form(example: Path, tde: Callable[..., Run]) -> None:
    """Dates become ISO text and unicode stays as typed, as in the indented form."""
    run = tde("list", "interview", "--format", "json", cwd=example)
    items = items_by_line(run.stdout)
    assert all(isinstance(item["date"], str) and len(item["date"]) == 10 for item in items)
    assert "\\u" not in run.stdout


def test_schema_stays_indented(tde: Callable[..., Run]) -> None:
    """A schema is a document for editors, indented even when piped."""
    run = tde("schema", "persona")
    assert run.exit_code == 0, run
    assert run.stdout.startswith("{\n  ")
    assert json.loads(run.stdout)["type"] == "object"


def in_a_terminal(args: list[str], cwd: Path) -> str:
    """What ``tde ARGS`` writes to stdout when stdout is a terminal."""
    leader, follower = pty.openpty()
    env = {**os.environ, "NO_COLOR": "1", "COLUMNS": "120"}
    with subprocess.Popen(
        [sys.executable, "-m", "tdekit", *args], cwd=cwd, env=env,
        stdout=follower, stderr=subprocess.DEVNULL, stdin=subprocess.DEVNULL,
    ) as process:
        os.close(follower)
        chunks = []
        while True:
            try:
                chunk = os.read(leader, 65536)
            except OSError:  # the terminal closed with the process
                break
            if not chunk:
                break
            chunks.append(chunk)
        process.wait(timeout=60)
    os.close(leader)
    return b"".join(chunks).decode("utf-8").replace("\r\n", "\n")


def test_a_terminal_gets_indented_json(example: Path, tde: Callable[..., Run]) -> None:
    """At a terminal the same list is indented for reading, and holds the same items."""
    shown = in_a_terminal(["list", "usecase", "--format", "json"], example)
    assert shown.startswith("[\n  {\n    ")
    piped = tde("list", "usecase", "--format", "json", cwd=example)
    assert json.loads(shown) == json.loads(piped.stdout)
