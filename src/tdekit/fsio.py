"""Writing files safely: atomic replace, no clobbering, no writing through links, one writer.

Every file tdekit writes goes through :func:`write_file`: the bytes land in a temporary file in
the same folder, are flushed to disk, take the permissions of the file they replace, and are
renamed into place, so a reader sees the old file or the new one, never half of either.
"""

from __future__ import annotations

import contextlib
import errno
import os
import re
import stat
import tempfile
from collections.abc import Iterable, Iterator, Mapping
from pathlib import Path
from typing import NoReturn

from tdekit.errors import RefusedWrite

#: tde's own folder in a project: its cache (:mod:`tdekit.records.cache`) and the write lock.
LOCK_DIR = ".tde-cache"
#: The file in :data:`LOCK_DIR` that writers hold a lock on (:func:`project_lock`).
LOCK_FILE = "lock"
#: The temporary file :func:`write_file` makes for a record: ``.ID.md.`` and tempfile's 8 characters.
_LEFTOVER = re.compile(r"\.[^/]+\.md\.[a-z0-9_]{8}\.tmp")
#: Written into :data:`LOCK_DIR` when tde makes it, so that git (even ``git add -A`` in a project
#: whose .gitignore does not list it) and backup tools that honour cache directory tags skip it.
FOLDER_MARKERS: dict[str, bytes] = {
    ".gitignore": b"# Created by tde: its cache and lock, never to be committed.\n*\n",
    "CACHEDIR.TAG": (
        b"Signature: 8a477f597d28d172789f06886806bc55\n"
        b"# This file is a cache directory tag created by tde (tdekit).\n"
        b"# For information about cache directory tags, see https://bford.info/cachedir/\n"
    ),
}


class NotRegular(OSError):
    """The path holds something other than a regular file: a pipe, a folder, a device."""


def read_regular(path: Path, *, limit: int | None = None) -> tuple[bytes, os.stat_result]:
    """The bytes of the regular file ``path`` (at most ``limit`` of them) and its status.

    Opening never blocks and never follows a link: a pipe put in a file's place would hang a
    plain open, and a link could make tde read what the project does not hold. A link raises
    OSError with errno ELOOP, anything but a regular file :class:`NotRegular`, and a file that
    cannot be read its OSError.
    """
    fd = os.open(path, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK | os.O_CLOEXEC)
    with os.fdopen(fd, "rb") as handle:
        status = os.fstat(handle.fileno())
        if not stat.S_ISREG(status.st_mode):
            raise NotRegular(errno.EINVAL, "it is not a regular file", str(path))
        return (handle.read() if limit is None else handle.read(limit)), status


def write_file(
    path: Path,
    data: bytes | tuple[bytes, ...],
    *,
    overwrite: bool = False,
    shown: str | None = None,
    durable: bool = True,
) -> None:
    """Write ``data`` to ``path`` atomically (a tuple of parts is written one after the other,
    so that a large file need not be joined in memory first).

    Without ``overwrite`` an existing file is never replaced (the final step is an exclusive
    link, so even a file created a moment earlier by someone else survives). A path that is a
    symbolic link is always refused: writing through it could change a file outside the project.
    ``durable=False`` skips flushing the bytes and the folder to disk: for files that can be
    made again (tde's cache), where a crash may lose the new file but never leaves half of it.
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
            for part in (data,) if isinstance(data, bytes) else data:
                handle.write(part)
            if durable:
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
    if durable:
        _sync_folder(folder)


def write_new_files(files: Mapping[Path, tuple[bytes, str]]) -> None:
    """Write new files (path -> (bytes, name shown)) all or none: each as :func:`write_file`
    does, never over an existing one; when one fails, those written before it are removed.

    The bytes reach the disk once, for all of them (``os.sync``), not file by file: a thousand
    separate flushes would take most of the time of an import of a thousand rows.
    """
    if not files:
        return  # os.sync flushes every file system of the machine: not for nothing
    written: list[Path] = []
    try:
        for path, (data, shown) in files.items():
            path.parent.mkdir(exist_ok=True)
            write_file(path, data, shown=shown, durable=False)
            written.append(path)
    except BaseException:
        for path in written:
            with contextlib.suppress(OSError):
                path.unlink()
        raise
    os.sync()
    for folder in {path.parent for path in written}:
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


def tde_folder(root: Path) -> Path:
    """The project's :data:`LOCK_DIR`, made when missing and marked with :data:`FOLDER_MARKERS`.

    Raises OSError (with a readable ``strerror``) when it is a link, is not a folder or cannot
    be made. A folder made by someone else without the markers gets them now; a marker that
    cannot be written is no error.
    """
    folder = root / LOCK_DIR
    if folder.is_symlink():
        raise OSError(errno.ELOOP, f"{LOCK_DIR} is a symbolic link; tde does not write through links")
    try:
        folder.mkdir()
    except FileExistsError:
        if not folder.is_dir():
            raise OSError(errno.ENOTDIR, f"{LOCK_DIR} is not a folder; remove it and tde makes it again") from None
    for name, data in FOLDER_MARKERS.items():
        marker = folder / name
        if not (marker.exists() or marker.is_symlink()):
            with contextlib.suppress(RefusedWrite):  # another run wrote it first, or no room
                write_file(marker, data)
    return folder


def sweep_leftovers(root: Path, folders: Iterable[str]) -> None:
    """Remove the temporary files that writes killed half-way left in the record ``folders``.

    Call only while holding :func:`project_lock`: every write to a record folder runs under it,
    so no temporary file there belongs to a write in progress. Only names that
    :func:`write_file` makes for a record (``.ID.md.XXXXXXXX.tmp``) and only regular files are
    removed, and never through a folder that is a link.
    """
    for name in folders:
        folder = root / name
        if folder.is_symlink():
            continue
        with contextlib.suppress(OSError), os.scandir(folder) as entries:
            for entry in entries:
                if _LEFTOVER.fullmatch(entry.name) and entry.is_file(follow_symlinks=False):
                    with contextlib.suppress(OSError):
                        os.unlink(entry.path)


def _open_lock(path: Path) -> int:
    """Open (or make) the lock file, never blocking: a pipe in its place would hang a plain open.

    Anything but a regular file there (a pipe, a folder, a link, a device) raises OSError with
    a ``strerror`` that says what to do.
    """
    flags = os.O_WRONLY | os.O_CREAT | os.O_APPEND | os.O_NOFOLLOW | os.O_NONBLOCK | os.O_CLOEXEC
    odd = OSError(errno.EINVAL, f"{LOCK_DIR}/{LOCK_FILE} is not a regular file; remove it and tde makes it again")
    try:
        fd = os.open(path, flags, 0o666)
    except OSError as err:
        if err.errno in (errno.ENXIO, errno.EISDIR, errno.ELOOP, errno.EAGAIN):
            raise odd from None  # a pipe with no reader, a folder, a link
        raise
    if not stat.S_ISREG(os.fstat(fd).st_mode):
        os.close(fd)
        raise odd
    return fd


@contextlib.contextmanager
def project_lock(root: Path, folders: Iterable[str] = ()) -> Iterator[None]:
    """Hold the project's write lock: commands that change records run one at a time.

    Once it is held, the temporary files that killed writes left in the record ``folders`` are
    swept (:func:`sweep_leftovers`).
    """
    import fcntl

    try:
        handle = os.fdopen(_open_lock(tde_folder(root) / LOCK_FILE), "a")
    except OSError as err:
        raise RefusedWrite(f"cannot lock the project for writing: {err.strerror}") from None
    with handle:
        fcntl.flock(handle.fileno(), fcntl.LOCK_EX)
        try:
            sweep_leftovers(root, folders)  # no other writer runs now: what is there was left by a killed one
            yield
        finally:
            fcntl.flock(handle.fileno(), fcntl.LOCK_UN)


def check_output(
    root: Path, out: Path, *, files: Mapping[str, str], folders: Mapping[str, str], what: str = "the plan"
) -> None:
    """Refuse (exit 1) an output path that is one of ``files`` or lies in one of ``folders``.

    ``files`` and ``folders`` map a name relative to the project ``root`` to what it holds (for
    the refusal); a path through any ``.git`` folder at all (the project may sit inside a
    larger repository) is refused too. The path is made absolute and its links and ``..``
    resolved first, and compared without regard to case (a case-insensitive file system would
    take ``PLANS/`` for ``plans/``), so no spelling of it dodges the check. Anywhere else,
    inside the project or not, is fine.
    """
    target = _folded(out.resolve())
    project = root.absolute()
    for base in {project, project.resolve()}:
        for name, holds in files.items():
            if target == _folded(base / name):
                raise RefusedWrite(f"refusing to write {what} to {out}: that is {holds}, {name}")
        for folder, holds in folders.items():
            for place in {base / folder, (base / folder).resolve()}:
                if target[: len(_folded(place))] == _folded(place):
                    _refuse_output(out, what, folder, holds)
    if ".git" in target:
        _refuse_output(out, what, ".git", "a git repository")


def _refuse_output(out: Path, what: str, folder: str, holds: str) -> NoReturn:
    raise RefusedWrite(
        f"refusing to write {what} to {out}: it is inside {folder}/, which holds {holds}; "
        "write it elsewhere, such as build/ or outside the project"
    )


def _folded(path: Path) -> tuple[str, ...]:
    return tuple(part.casefold() for part in path.parts)
