"""``tde select`` killed at any moment leaves a project that is as it was, done, or says how to finish.

A forked copy of the test process runs ``tde select`` and kills itself with SIGKILL at a chosen
Python call or return (counted with ``sys.setprofile`` from the moment selecting starts). The
points are drawn at random, with a fixed seed so that a failure can be replayed, and always
include the calls around each rename. After every kill the two use case files must be their
old or their new bytes, never torn and never both old-and-unselected; any temporary file left
behind must be ignored by ``tde validate`` and removed by the next ``tde select``.
"""

from __future__ import annotations

import json
import os
import random
import re
import signal
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from conftest import Run
from tdekit import fsio, selecting
from tdekit.cli.app import app

SELECTED = "eviction-filings-by-neighborhood"  # selected in the example
CHOSEN = "code-violations-by-address"  # shortlisted in the example: the one tde select picks
SEED = 20261202
#: What a write killed half-way may leave: ``usecases/.ID.md.`` and tempfile's 8 characters.
LEFTOVER = re.compile(r"usecases/\.[a-z0-9-]+\.md\.[a-z0-9_]{8}\.tmp")
#: Kills drawn from the whole run, and from the writes alone (where the files change).
ANYWHERE, IN_WRITES = 4, 12


def files(root: Path) -> dict[str, bytes]:
    """Every file of the project outside .git and .tde-cache, by path."""
    return {
        p.relative_to(root).as_posix(): p.read_bytes()
        for p in sorted(root.rglob("*"))
        if p.is_file() and ".git" not in p.parts and fsio.LOCK_DIR not in p.parts
    }


def run_killed_at(root: Path, point: int, *, in_writes: bool) -> tuple[int, dict[str, Any]]:
    """Run ``tde select CHOSEN`` in a forked child that kills itself at profile event ``point``
    (never, for 0), counted from the start of the command or, ``in_writes``, from the start of
    the writes; return the child's wait status and, when it was not killed, what it counted."""
    read_end, write_end = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child: never returns into pytest
        try:
            os.close(read_end)
            null = os.open(os.devnull, os.O_WRONLY)
            os.dup2(null, 1)
            os.dup2(null, 2)
            counted = _select_counting(root, point, in_writes)
            os.write(write_end, json.dumps(counted).encode())
        finally:
            os._exit(0)
    os.close(write_end)
    with os.fdopen(read_end, "rb") as pipe:
        report = pipe.read()
    _, status = os.waitpid(pid, 0)
    return status, json.loads(report) if report else {}


def _select_counting(root: Path, point: int, in_writes: bool) -> dict[str, Any]:
    """In the child: run the command under a profiler that counts events and kills at ``point``.

    How many events reading the project takes varies with the cache (a file written within the
    last two seconds is read again); the writes themselves take the same events every time.
    """
    events = 0
    counted: dict[str, Any] = {"renames": []}
    real_apply = selecting._apply

    def profile(frame: Any, event: str, arg: Any) -> None:
        nonlocal events
        events += 1
        if events == point:
            os.kill(os.getpid(), signal.SIGKILL)
        if event in ("c_call", "c_return") and arg in (os.replace, os.link):
            counted["renames"].append(events)

    def apply(edits: list[Any]) -> None:
        nonlocal events
        if in_writes:
            events, counted["renames"] = 0, []
            sys.setprofile(profile)
        real_apply(edits)
        counted["writes"] = events

    selecting._apply = apply  # type: ignore[assignment] # only in this forked child
    if not in_writes:
        sys.setprofile(profile)
    try:
        app(["--project", str(root), "select", CHOSEN], prog_name="tde")
    except SystemExit as done:
        counted["exit"] = done.code
    finally:
        sys.setprofile(None)
    counted["events"] = events
    return counted


@pytest.fixture
def project(example: Path, tde: Callable[..., Run], monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """The example with a warm cache, as a team has it; syncing to disk is skipped, since it
    matters when the power fails, not when a process is killed (its writes are in the OS)."""
    monkeypatch.setattr(os, "fsync", lambda fd: None)
    assert tde("validate", cwd=example).exit_code == 0
    yield example


def restore(root: Path, old: dict[str, bytes]) -> None:
    """Put the use case files back as they were (the other files never change)."""
    for rel, data in old.items():
        if rel.startswith("usecases/"):
            (root / rel).write_bytes(data)


def kill_points(whole: dict[str, Any], writes: dict[str, Any]) -> list[tuple[bool, int]]:
    """Where to kill: random points of the whole run and of the writes, and around every rename
    of the writes; each as (counted from the writes, event)."""
    rng = random.Random(SEED)
    points = {(False, rng.randint(1, whole["events"])) for _ in range(ANYWHERE)}
    points |= {(True, rng.randint(1, writes["writes"])) for _ in range(IN_WRITES)}
    points |= {(True, p + d) for p in writes["renames"] for d in (0, 1)}
    return sorted(points)


def test_select_killed_anywhere_leaves_a_whole_project(
    project: Path, tde: Callable[..., Run]
) -> None:
    """Old bytes or new bytes in each file, never no use case selected; validate says how to finish; the next select cleans up."""
    old = files(project)
    target, previous = f"usecases/{CHOSEN}.md", f"usecases/{SELECTED}.md"
    counts = []
    for in_writes in (False, True):
        restore(project, old)
        status, counted = run_killed_at(project, 0, in_writes=in_writes)
        assert os.WIFEXITED(status) and counted["exit"] in (0, None), counted
        counts.append(counted)
    new = files(project)
    assert {k for k in new if new[k] != old[k]} == {target, previous}
    assert len(counts[1]["renames"]) == 4  # a call and a return for each of the two files
    outcomes = set()
    for in_writes, point in kill_points(*counts):
        restore(project, old)
        status, _ = run_killed_at(project, point, in_writes=in_writes)
        killed = os.WIFSIGNALED(status) and os.WTERMSIG(status) == signal.SIGKILL
        assert killed or (not in_writes and os.WIFEXITED(status)), point  # a run may take fewer events
        now = files(project)
        state = (now.get(target) == new[target], now.get(previous) == new[previous])
        outcomes.add(state)
        assert now[target] in (old[target], new[target]), point
        assert now[previous] in (old[previous], new[previous]), point
        assert state != (False, True), f"killed at {point}: no use case is selected"
        others = {rel: data for rel, data in now.items() if rel not in (target, previous)}
        leftovers = {rel for rel in others if rel not in old}
        assert all(LEFTOVER.fullmatch(rel) for rel in leftovers), leftovers
        assert {rel: others[rel] for rel in others if rel in old} == {
            rel: data for rel, data in old.items() if rel not in (target, previous)
        }, point
        _check_validate(tde, project, state, point)
        again = tde("select", CHOSEN, cwd=project)
        assert again.exit_code == 0, (point, again)
        assert files(project) == new, point  # finished, and no temporary file left
    assert outcomes >= {(False, False), (True, False), (True, True)}, outcomes


def _check_validate(tde: Callable[..., Run], root: Path, state: tuple[bool, bool], point: int) -> None:
    """The project validates, or names both selected use cases and the command that fixes it."""
    result = tde("validate", "--format", "json", cwd=root)
    if state != (True, False):
        assert result.exit_code == 0, (point, result)
        return
    assert result.exit_code == 1, (point, result)
    errors = [p for p in json.loads(result.stdout) if p["severity"] == "error"]
    assert sorted(p["path"] for p in errors) == [f"usecases/{CHOSEN}.md", f"usecases/{SELECTED}.md"]
    assert all(p["code"] == "several-selected" and "'tde select ID'" in p["message"] for p in errors)

