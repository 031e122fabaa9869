"""The key that signs a project's cache, kept outside every project, in the user's own cache folder.

A project's ``.tde-cache/records.pickle`` says what each record file holds (its consent
included) without the file being read again. A cache that someone else wrote, on a shared
drive or in a tarball, must not be believed, however well formed: :mod:`tdekit.records.cache` signs the
whole cache file with an HMAC under this key and ignores a cache whose signature does not match.
The key never lives in a project, so no project can carry a cache that this user will trust.

The key is 32 random bytes in ``$XDG_CACHE_HOME/tdekit/cache-key`` (``~/.cache/tdekit/`` when
that variable is unset or not an absolute path), made on first use: the folder with mode 0700,
the file with 0600, written to a temporary file and linked into place, so two runs starting at
once end with one key. The folder must belong to the user and be writable by nobody else; a key
file that is not a private regular file of the right size is replaced. Where the folder cannot
be made or used, :func:`user_key` returns None and tde runs without its cache.
"""

from __future__ import annotations

import contextlib
import os
import stat
from pathlib import Path

#: The key file in the user's tdekit cache folder.
KEY_FILE = "cache-key"
KEY_BYTES = 32


def key_folder() -> Path | None:
    """``$XDG_CACHE_HOME/tdekit``, or ``~/.cache/tdekit``; None when there is no home to put it in."""
    base = os.environ.get("XDG_CACHE_HOME", "")
    if base and Path(base).is_absolute():
        return Path(base) / "tdekit"
    try:
        home = Path.home()
    except (RuntimeError, KeyError):  # no HOME and no entry in the password database
        return None
    return home / ".cache" / "tdekit" if home.is_absolute() else None


def user_key() -> bytes | None:
    """This user's key for signing caches, made when missing; None when it cannot be kept safely."""
    folder = key_folder()
    if folder is None:
        return None
    try:
        _private_folder(folder)
        return _read(folder / KEY_FILE) or _make(folder / KEY_FILE)
    except OSError:
        return None


def _private_folder(folder: Path) -> None:
    """Make ``folder`` (mode 0700) when missing; raise OSError unless it is the user's alone."""
    if not folder.is_dir():
        folder.parent.mkdir(parents=True, exist_ok=True)
        with contextlib.suppress(FileExistsError):
            folder.mkdir(mode=0o700)
    status = folder.stat()
    if not stat.S_ISDIR(status.st_mode) or status.st_uid != os.getuid() or status.st_mode & 0o022:
        raise OSError(f"{folder} is not a private folder of this user")


def _read(path: Path) -> bytes | None:
    """The key in ``path`` when it is a private regular file of this user holding a key, else None."""
    from tdekit.fsio import read_regular

    try:
        key, status = read_regular(path, limit=KEY_BYTES + 1)
    except OSError:
        return None
    private = status.st_uid == os.getuid() and not status.st_mode & 0o077
    return key if private and status.st_size == KEY_BYTES and len(key) == KEY_BYTES else None


def _make(path: Path) -> bytes | None:
    """A new key written to ``path``; the one another run wrote first when there is one."""
    import tempfile

    key = os.urandom(KEY_BYTES)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{KEY_FILE}.", suffix=".tmp")  # mode 0600
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(key)
            handle.flush()
            os.fsync(handle.fileno())
        try:
            os.link(tmp, path)  # never replaces a key another run has just made
        except FileExistsError:
            theirs = _read(path)
            if theirs is not None:
                return theirs
            Path(tmp).replace(path)  # what is there is no usable key: replace it
    finally:
        with contextlib.suppress(OSError):
            Path(tmp).unlink()
    return key
