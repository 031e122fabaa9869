"""Writing files safely: atomic replace, no clobbering, no writing through links, one writer.

Every file tdekit writes goes through :func:`write_file`: the bytes land in a temporary file in
the same folder, are flushed to disk, take the permissions of the file they replace, and are
renamed into place, so a reader sees the old file or the new one, never half of either.
"""

from __future__ import annotations

import contextlib
import os
import tempfile
from collections.abc import Iterator
from pathlib import Path

from tdekit.errors import RefusedWrite

LOCK_DIR = ".tde-cache"


def write_file(path: Path, data: bytes, *, overwrite: bool = False, shown: str | None = None) -> None:
    """Write ``data`` to ``path`` atomically.

    Without ``overwrite`` an existing file is never replaced (the final step is an exclusive
    link, so even a file created a moment earlier by someone else survives). A path that is a
    symbolic link is always refused: writing through it could change a file outside the project.
    """
    name = shown or str(path)
    if path.is_symlink():
        raise RefusedWrite(f"{name} is a symbolic link; tde does not write through links")
    if path.exists() and not overwrite:
        raise RefusedWrite(f"{name} already exists; tde never overwrites a file")
    if path.exists() and not path.is_file():
        raise RefusedWrite(f"{name} is not a regular file")
    folder = path.parent
    try:
        mode = path.stat().st_mode & 0o7777 if path.exists() else _default_mode()
        fd, tmp = tempfile.mkstemp(dir=folder, prefix=f".{path.name}.", suffix=".tmp")
    except OSError as err:
        raise RefusedWrite(f"cannot write {name}: {err.strerror}") from None
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(tmp, mode)
        if overwrite:
            os.replace(tmp, path)
        else:
            os.link(tmp, path)
            os.unlink(tmp)
    except FileExistsError:
        _discard(tmp)
        raise RefusedWrite(f"{name} already exists; tde never overwrites a file") from None
    except OSError as err:
        _discard(tmp)
        raise RefusedWrite(f"cannot write {name}: {err.strerror}") from None
    except BaseException:  # interrupted, or a bug: leave no temporary file behind either way
        _discard(tmp)
        raise
    _sync_folder(folder)


def _default_mode() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return 0o666 & ~mask


def _discard(tmp: str) -> None:
    with contextlib.suppress(OSError):
        os.unlink(tmp)


def _sync_folder(folder: Path) -> None:
    with contextlib.suppress(OSError):
        fd = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


@contextlib.contextmanager
def project_lock(root: Path) -> Iterator[None]:
    """Hold the project's write lock: commands that change records run one at a time."""
    import fcntl

    lock_dir = root / LOCK_DIR
    try:
        lock_dir.mkdir(exist_ok=True)
        handle = (lock_dir / "lock").open("a")
    except OSError as err:
        raise RefusedWrite(f"cannot lock the project for writing: {err.strerror}") from None
    with handle:
        fcntl.flock(handle.fileno(), fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle.fileno(), fcntl.LOCK_UN)
