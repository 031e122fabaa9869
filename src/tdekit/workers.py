"""Share a large batch of independent work with forked copies of this process, when it pays.

Reading a big project is nearly all parsing, one file at a time, and a machine has more than
one core. :func:`fork_map` splits the batch, lets forked children do all but the first share,
does that share itself, and collects the children's results through pipes. Children inherit
everything already imported, so they start at once. Where forking is not possible or not safe
(no ``os.fork``, other threads running, a small batch, one core), or a child fails in any way,
the work is simply done here: the result is the same, only the time differs.
"""

from __future__ import annotations

import os
import pickle
import sys
import threading
from collections.abc import Callable, Sequence
from typing import Any, TypeVar

T = TypeVar("T")

#: Fewer items than this per process and forking costs more than it saves.
MIN_PER_WORKER = 150
#: More processes than this gain little (reading files and collecting results stay serial).
MAX_WORKERS = 8


def workers_for(count: int) -> int:
    """How many processes (this one included) should share ``count`` items."""
    if not hasattr(os, "fork") or sys.platform == "win32" or threading.active_count() > 1:
        return 1
    try:
        cpus = len(os.sched_getaffinity(0))
    except AttributeError:  # pragma: no cover - macOS has no sched_getaffinity
        cpus = os.cpu_count() or 1
    return max(1, min(cpus, MAX_WORKERS, count // MIN_PER_WORKER))


def fork_map(
    func: Callable[[T], Any], items: Sequence[T], loads: Callable[[bytes], Any]
) -> list[Any]:
    """``[func(item) for item in items]``, shared with forked children when that pays.

    ``func``'s results must pickle to what ``loads`` (a restricted unpickler) reads back.
    """
    workers = workers_for(len(items))
    if workers <= 1:
        return [func(item) for item in items]
    bounds = [len(items) * k // workers for k in range(workers + 1)]
    shares = [items[bounds[k] : bounds[k + 1]] for k in range(workers)]
    children = {k: _start(func, shares[k]) for k in range(1, workers)}
    outputs = [[func(item) for item in shares[0]]]
    for k in range(1, workers):
        child = children[k]
        got = _collect(*child, len(shares[k]), loads) if child is not None else None
        outputs.append(got if got is not None else [func(item) for item in shares[k]])
    return [result for output in outputs for result in output]


def _start(func: Callable[[T], Any], share: Sequence[T]) -> tuple[int, int] | None:
    """Fork a child that works through ``share`` and writes its pickled results to a pipe."""
    try:
        read_end, write_end = os.pipe()
    except OSError:
        return None
    try:
        pid = os.fork()
    except OSError:
        os.close(read_end)
        os.close(write_end)
        return None
    if pid == 0:  # the child: never returns
        code = 1
        try:
            os.close(read_end)
            data = pickle.dumps([func(item) for item in share], protocol=pickle.HIGHEST_PROTOCOL)
            with os.fdopen(write_end, "wb") as out:
                out.write(data)
            code = 0
        finally:
            os._exit(code)
    os.close(write_end)
    return pid, read_end


def _collect(pid: int, fd: int, expected: int, loads: Callable[[bytes], Any]) -> list[Any] | None:
    """The child's results, or None when it failed or sent something unexpected."""
    with os.fdopen(fd, "rb") as pipe:
        data = pipe.read()
    _, status = os.waitpid(pid, 0)
    if status != 0:
        return None
    try:
        results = loads(data)
    except Exception:  # a child that died half-way sends half a pickle
        return None
    if not isinstance(results, list) or len(results) != expected:
        return None
    return results
