"""Command-line values are read the same on every typer that pyproject.toml allows.

typer 0.29 converts values with pydantic, 0.28 with click's types; tde gives its parameters
converters of its own on 0.29 (``tdekit.cli.coercion``), so what a user sees does not change
with the typer installed: the values a command receives, and click's messages for bad ones.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest

from conftest import Run


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["score", "--top", "0"], "Invalid value for '--top' / '-n': 0 is not in the range x>=1."),
        # click says "int range" in typer 0.28, "integer range" in 0.26
        (["score", "-n", "abc"], "Invalid value for '--top' / '-n': 'abc' is not a valid int"),
        (["--project", "tde.yaml", "status"],
         "Invalid value for '--project' / '-p': Directory 'tde.yaml' is a file."),
        (["validate", "--project", "tde.yaml"],
         "Invalid value for '--project' / '-p': Directory 'tde.yaml' is a file."),
    ],
)
def test_bad_values_get_clicks_messages(
    tde: Callable[..., Run], example: Path, args: list[str], message: str
) -> None:
    """A bad number or a file given as the project folder: exit 2 and click's own words."""
    result = tde(*args, cwd=example)
    assert result.exit_code == 2, result
    assert message in " ".join(result.stderr.split()), result.stderr


def test_values_reach_the_commands_as_given(tde: Callable[..., Run], example: Path) -> None:
    """Repeated options, a number, a path list and the global --project arrive as typed."""
    scored = tde("--project", str(example), "score", "--top", "2", "--weight", "capacity=0",
                 "--weight", "impact=1", "--format", "json", cwd=example.parent)
    assert scored.exit_code == 0, scored
    ranked = json.loads(scored.stdout)
    assert len(ranked) == 2
    assert {name: c["weight"] for name, c in ranked[0]["criteria"].items()}["capacity"] == 0
    checked = tde("validate", "interviews/eastside-tenant.md", "usecases", "--format", "json",
                  cwd=example)
    assert checked.exit_code == 0, checked
    assert json.loads(checked.stdout) == []
