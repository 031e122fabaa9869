"""Reading a big project with forked workers gives exactly what reading it alone gives."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from conftest import REPO, Run
from tdekit import workers
from tdekit.fsio import LOCK_DIR
from tdekit.records import project

RECORDS = 400


@pytest.fixture(scope="module")
def generated(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A generated project with a few mistakes spread over it, written once for this module."""
    root = tmp_path_factory.mktemp("workers") / "project"
    subprocess.run(
        [sys.executable, str(REPO / "benchmarks" / "generate.py"), str(root), str(RECORDS)],
        check=True, capture_output=True,
    )
    interviews = sorted((root / "interviews").glob("*.md"))
    for path in (interviews[3], interviews[-3]):  # one early and one late in the reading order
        text = path.read_text(encoding="utf-8")
        path.write_text(text.replace("tactic:", "tactics:", 1), encoding="utf-8")
    usecase = sorted((root / "usecases").glob("*.md"))[-1]
    usecase.write_text(usecase.read_text(encoding="utf-8").replace("evidence:", "evidence:\n  - nobody", 1),
                       encoding="utf-8")
    return root


@pytest.fixture
def forks(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """Two cores at least, and a record of every fork."""
    made: list[int] = []
    real_fork = os.fork

    def counting_fork() -> int:
        pid = real_fork()
        if pid:
            made.append(pid)
        return pid

    monkeypatch.setattr(os, "fork", counting_fork)
    monkeypatch.setattr(os, "sched_getaffinity", lambda pid: {0, 1}, raising=False)
    return made


def cold_validate(tde: Callable[..., Run], root: Path) -> Run:
    for path in (root / LOCK_DIR).glob("*"):
        path.unlink()
    return tde("validate", "--format", "json", cwd=root)


def test_workers_read_the_same_as_one_process(
    generated: Path, tde: Callable[..., Run], forks: list[int], monkeypatch: pytest.MonkeyPatch
) -> None:
    """A cold run shared with a forked worker reports exactly what a run in one process does."""
    shared = cold_validate(tde, generated)
    assert len(forks) == 1
    assert '"code": "unknown-field"' in shared.stdout and '"code": "unknown-reference"' in shared.stdout
    monkeypatch.setattr(workers, "MAX_WORKERS", 1)
    alone = cold_validate(tde, generated)
    assert len(forks) == 1
    assert (shared.exit_code, shared.stdout, shared.stderr) == (alone.exit_code, alone.stdout, alone.stderr)


def test_failed_worker_is_done_again_here(
    generated: Path, tde: Callable[..., Run], forks: list[int], monkeypatch: pytest.MonkeyPatch
) -> None:
    """When a worker fails, its share is read in the main process: nothing is lost."""
    monkeypatch.setattr(workers, "MAX_WORKERS", 1)
    alone = cold_validate(tde, generated)
    monkeypatch.setattr(workers, "MAX_WORKERS", 8)
    main = os.getpid()
    real_check = project._check_bytes

    def failing_in_workers(*args: object) -> project.Record:
        if os.getpid() != main:
            raise RuntimeError("a worker fails")
        return real_check(*args)

    monkeypatch.setattr(project, "_check_bytes", failing_in_workers)
    redone = cold_validate(tde, generated)
    assert len(forks) == 1
    assert (redone.exit_code, redone.stdout, redone.stderr) == (alone.exit_code, alone.stdout, alone.stderr)


def test_small_batches_are_read_here(tde: Callable[..., Run], example: Path, forks: list[int]) -> None:
    """A project of a few dozen records is read without forking: it would not pay."""
    assert tde("validate", cwd=example).exit_code == 0
    assert forks == []
