"""What reading each record produced, kept in ``.tde-cache/`` so unchanged files are not read again.

``tde validate`` runs on every commit; most files have not changed since the last run. For each
record file the cache keeps what reading it made (kind, id, the checked values, the raw front
matter, the file's own problems, the positions of every key and value, the body) under the
file's *stamp*: size, modification and change times in nanoseconds,
and inode. A file whose stamp is unchanged is served from the cache without reading it, so a
warm run imports neither ruamel.yaml nor pydantic. The rules across records still run every
time, over these values.

Correctness before speed:

* The whole cache is dropped when tdekit, Python, the modules that read records or the bytes
  of ``tde.yaml`` change (the *fingerprint*).
* File times are coarse on some file systems, so a file changed twice within one clock tick
  could keep its stamp. A file whose times are within :data:`RACY_NS` of the moment it was read
  is stored with a digest of its bytes, and is read and compared until it is older (as git does
  for its index).
* The cache is written to a temporary file and renamed into place, so concurrent runs each
  leave a complete cache; the last one wins. A cache that cannot be read, is truncated, fails
  its signature or has an unexpected shape is ignored and rebuilt, never an error.
* A cache is believed only when this user's tde wrote it: the whole file is signed with an
  HMAC-SHA256 under a key kept outside every project, in the user's own cache folder (see
  :mod:`tdekit.records.cachekey`). A cache that someone else made, on a shared drive or in a tarball,
  fails the signature and is rebuilt, so it can change neither a record's consent nor any other
  output. Where that key cannot be kept, tde runs without the cache. A project
  that cannot be written to (read-only checkout), a ``.tde-cache`` that is a file or a link,
  and a cache file that is a link, a pipe or a folder: the command runs without the cache, and
  says the same, silently.
* The file is a pickle read, once its signature holds, with an unpickler that can build only
  plain values and dates, so even a signed cache cannot run code.

The folder is made with a ``.gitignore`` of ``*`` and a ``CACHEDIR.TAG`` (see
:func:`tdekit.fsio.tde_folder`), so git and backup tools leave it alone. ``TDE_NO_CACHE=1``
turns the cache off: nothing is read from it or written to it.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import gc
import hashlib
import io
import os
import pickle
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any, ClassVar

from tdekit import __version__
from tdekit.errors import RefusedWrite
from tdekit.fsio import LOCK_DIR, tde_folder, write_file
from tdekit.problems import Problem
from tdekit.records.cachekey import user_key
from tdekit.records.frontmatter import Document, Path_, Span
from tdekit.records.record import Record

__all__ = ["CACHE_FILE", "NO_CACHE_ENV", "RACY_NS", "RecordCache", "Stamp", "enabled", "loads", "quiet_gc", "stamp_of"]

#: The cache file inside ``.tde-cache/``.
CACHE_FILE = "records.pickle"
#: Set to anything but empty or ``0`` to run without the cache.
NO_CACHE_ENV = "TDE_NO_CACHE"
#: Bumped whenever the layout of the file or of an entry changes.
FORMAT = 2
MAGIC = b"tdekit-cache %d\n" % FORMAT
#: Files changed less than this long before they were read are also checked by content.
RACY_NS = 2_000_000_000
#: Length of the signature line (hex of a SHA-256 HMAC).
_SIGNATURE_HEX = 64
#: A temporary cache file this old was left by a run that was killed while writing it.
STALE_SECONDS = 3600

#: (size, mtime_ns, ctime_ns, inode) of a file.
Stamp = tuple[int, int, int, int]

#: The modules whose code decides what a record reads as (patterns inside the tdekit package);
#: a change to any drops the cache.
_READERS = ("records/*.py", "problems.py", "text.py", "templating.py", "template_loader.py")
#: The libraries whose versions decide it too (the YAML parser and the validator).
_LIBRARIES = ("ruamel.yaml", "_ruamel_yaml", "pydantic", "pydantic_core")

# Entry layout (a plain tuple: quick to pickle and to read back).
_STAMP, _DIGEST, _KIND, _ID, _DATA, _RAW, _BOM, _NEWLINE, _SPANS, _BAD, _BODY, _BODY_LINE, _PROBLEMS = range(13)


def enabled() -> bool:
    """False when the environment turns the cache off (``TDE_NO_CACHE=1``)."""
    return os.environ.get(NO_CACHE_ENV, "").strip() in ("", "0")


def stamp_of(st: os.stat_result) -> Stamp:
    return (st.st_size, st.st_mtime_ns, st.st_ctime_ns, st.st_ino)


def digest(raw: bytes) -> bytes:
    return hashlib.blake2b(raw, digest_size=16).digest()


class CachedDocument(Document):
    """A :class:`Document` read back from the cache: its positions are decoded on first use.

    Positions are needed only to locate a problem, so a run that finds none never decodes them.
    """

    @property
    def key_spans(self) -> dict[Path_, Span]:
        return self._spans("_key_spans")

    @key_spans.setter
    def key_spans(self, value: dict[Path_, Span]) -> None:
        self.__dict__["_key_spans"] = value

    @property
    def value_spans(self) -> dict[Path_, Span]:
        return self._spans("_value_spans")

    @value_spans.setter
    def value_spans(self, value: dict[Path_, Span]) -> None:
        self.__dict__["_value_spans"] = value

    def _spans(self, name: str) -> dict[Path_, Span]:
        state = self.__dict__
        if name not in state:
            packed = state.pop("_packed_spans", None)
            keys, values = _decode_spans(packed) if packed is not None else ({}, {})
            state.setdefault("_key_spans", keys)
            state.setdefault("_value_spans", values)
        spans: dict[Path_, Span] = state[name]
        return spans


def _encode_spans(doc: Document) -> bytes:
    packed: list[Any] = []
    for spans in (doc.key_spans, doc.value_spans):
        numbers: list[int] = []
        for span in spans.values():
            numbers += (span.line, span.column, span.end_line, span.end_column)
        packed += (tuple(spans), numbers)
    return pickle.dumps(tuple(packed), protocol=pickle.HIGHEST_PROTOCOL)


def _decode_spans(packed: bytes) -> tuple[dict[Path_, Span], dict[Path_, Span]]:
    key_paths, key_numbers, value_paths, value_numbers = loads(packed)
    decoded: list[dict[Path_, Span]] = []
    for paths, numbers in ((key_paths, key_numbers), (value_paths, value_numbers)):
        it = iter(numbers)
        decoded.append({path: Span(*(next(it) for _ in range(4))) for path in paths})
    return decoded[0], decoded[1]


def freeze(record: Record, stamp: Stamp, raw_digest: bytes | None) -> tuple[Any, ...]:
    """The cache entry for a freshly read ``record``."""
    doc: Document = record.doc
    data = record.data
    # The raw front matter of a valid record is usually equal to its checked values: keep one.
    raw_data = None if data is not None and doc.data == data else doc.data
    problems = tuple(
        (p.path, p.line, p.column, p.severity, p.code, p.message) for p in doc.problems
    )
    return (
        stamp, raw_digest, record.kind, record.id, data, raw_data, doc.bom, doc.newline,
        _encode_spans(doc), tuple(doc.bad_paths), doc.body, doc.body_line, problems,
    )


def thaw(rel: str, entry: tuple[Any, ...]) -> Record:
    """The record a cache entry stands for."""
    doc = CachedDocument.__new__(CachedDocument)
    data = entry[_DATA]
    raw_data = entry[_RAW]
    doc.__dict__.update(
        path=rel,
        raw=b"",
        text="",
        bom=entry[_BOM],
        newline=entry[_NEWLINE],
        data=raw_data if raw_data is not None else data,
        bad_paths=set(entry[_BAD]),
        body=entry[_BODY],
        body_line=entry[_BODY_LINE],
        problems=[Problem(*p) for p in entry[_PROBLEMS]],
        _packed_spans=entry[_SPANS],
    )
    return Record(entry[_KIND], entry[_ID], rel, doc, data)


class _PlainUnpickler(pickle.Unpickler):
    """Builds plain values and dates only; any other class in the stream is refused."""

    _ALLOWED: ClassVar[frozenset[tuple[str, str]]] = frozenset({
        ("datetime", "date"), ("datetime", "datetime"), ("datetime", "timezone"),
        ("datetime", "timedelta"),
    })

    def find_class(self, module: str, name: str) -> Any:
        if (module, name) in self._ALLOWED:
            return getattr(dt, name)
        raise pickle.UnpicklingError(f"{module}.{name} is not allowed in the cache")


def loads(blob: bytes | memoryview) -> Any:
    """Unpickle plain values and dates only (what entries are made of)."""
    return _PlainUnpickler(io.BytesIO(blob)).load()


def _fingerprint(settings_raw: bytes, root: Path) -> bytes:
    """What the cached entries depend on besides the files themselves.

    The reader's own modules and the libraries that parse and check are identified by their
    files' size and time (found without importing them), so that editing tdekit or upgrading
    pydantic or ruamel.yaml starts a fresh cache; so are the record templates, shipped and the
    project's own, whose prompts a record is checked against (:mod:`tdekit.records.template_text`).
    """
    from tdekit.records.template_text import template_files

    package = Path(__file__).parent.parent
    files = [path for pattern in _READERS for path in sorted(package.glob(pattern))]
    files += [Path(origin) for origin in _library_files()]
    files += template_files(root)
    parts = [MAGIC, __version__.encode(), sys.version.encode(), settings_raw]
    for path in files:
        try:
            st = path.stat()
        except OSError:
            continue
        parts.append(f"{path}:{st.st_size}:{st.st_mtime_ns}".encode())
    return hashlib.blake2b(b"\0".join(parts), digest_size=16).hexdigest().encode()


def _library_files() -> list[str]:
    """The files that stand for the libraries' versions, found without importing anything."""
    import importlib.util

    found = []
    for name in _LIBRARIES:
        top, _, rest = name.partition(".")
        try:
            spec = importlib.util.find_spec(top)
        except (ImportError, ValueError):
            continue
        if spec is None:
            continue
        if not rest:
            if spec.origin:
                found.append(spec.origin)
            continue
        for location in spec.submodule_search_locations or ():
            candidate = Path(location, *rest.split("."), "__init__.py")
            if candidate.is_file():
                found.append(str(candidate))
                break
    return found


class RecordCache:
    """The entries of one project's cache: looked up by path and stamp, saved when changed."""

    def __init__(self, root: Path, settings_raw: bytes) -> None:
        self.root = root
        self.folder = root / LOCK_DIR
        self.key = user_key() if enabled() else None
        self.enabled = self.key is not None
        self.fingerprint = _fingerprint(settings_raw, root) if self.enabled else b""
        self.settings: tuple[dict[str, Any] | None, tuple[Any, ...]] | None = None
        self._old: dict[str, tuple[Any, ...]] = {}
        self._new: dict[str, tuple[Any, ...]] = {}
        self._dirty = False
        self._started = time.time_ns()
        if self.enabled:
            self._load()

    # --- reading -----------------------------------------------------------------------------

    def _load(self) -> None:
        if self.folder.is_symlink():
            return  # never read (or write) through a link
        blob = _read_regular(self.folder / CACHE_FILE)
        if blob is None:
            self._dirty = True
            return
        try:
            payload = self._parse(blob)
        except Exception:  # a damaged cache of any kind is rebuilt, never fatal
            payload = None
        if payload is None:
            self._dirty = True
            return
        self.settings, self._old = payload

    def _parse(self, blob: bytes) -> tuple[Any, dict[str, tuple[Any, ...]]] | None:
        import hmac

        signed_end = len(MAGIC) + 33  # the magic line and the fingerprint line are signed too
        header_end = signed_end + _SIGNATURE_HEX + 1
        if len(blob) < header_end or not blob.startswith(MAGIC):
            return None
        view = memoryview(blob)
        if bytes(view[len(MAGIC) : signed_end - 1]) != self.fingerprint:
            return None
        body = view[header_end:]
        if not hmac.compare_digest(bytes(view[signed_end : header_end - 1]), self._sign(view[:signed_end], body)):
            return None  # written by someone else (or damaged): never believed
        settings, entries = loads(body)
        if not isinstance(entries, dict) or not isinstance(settings, tuple) or len(settings) != 2:
            return None
        return settings, entries

    def lookup(self, rel: str, stamp: Stamp, path: Path) -> Record | None:
        """The cached record for ``rel`` when its file is unchanged, else None."""
        entry = self._old.get(rel)
        if entry is None or not isinstance(entry, tuple) or len(entry) != 13 or entry[_STAMP] != stamp:
            return None
        if entry[_DIGEST] is not None:
            try:
                raw = path.read_bytes()
            except OSError:
                return None
            if digest(raw) != entry[_DIGEST]:
                return None
            if not self._racy(stamp):
                entry = (*entry[:_DIGEST], None, *entry[_DIGEST + 1 :])
                self._dirty = True
        self._new[rel] = entry
        return thaw(rel, entry)

    # --- writing -----------------------------------------------------------------------------

    def _racy(self, stamp: Stamp) -> bool:
        return max(stamp[1], stamp[2]) >= self._started - RACY_NS

    def entry_for(self, rel: str, stamp: Stamp, raw: bytes, record: Record) -> tuple[Any, ...]:
        """The entry that keeps a freshly read ``record`` (``raw`` is what was read, at ``stamp``)."""
        return freeze(record, stamp, digest(raw) if self._racy(stamp) else None)

    def keep(self, rel: str, entry: tuple[Any, ...]) -> Record:
        """Add ``entry`` to the cache; return its record as the cache will give it back."""
        self._new[rel] = entry
        self._dirty = True
        return thaw(rel, entry)

    def cached_settings(self) -> tuple[dict[str, Any] | None, list[Problem]] | None:
        """The settings and their problems as read last time, when ``tde.yaml`` is unchanged."""
        if self.settings is None:
            return None
        settings, problems = self.settings
        return settings, [Problem(*p) for p in problems]

    def store_settings(self, settings: dict[str, Any] | None, problems: list[Problem]) -> None:
        self.settings = (settings, tuple(
            (p.path, p.line, p.column, p.severity, p.code, p.message) for p in problems
        ))
        self._dirty = True

    def save(self) -> None:
        """Write the cache when anything changed; quietly give up when the folder is not writable."""
        if not self.enabled or (not self._dirty and self._new.keys() == self._old.keys()):
            return
        if self.settings is None:
            return
        try:
            tde_folder(self.root)  # refuses a link or a file in its place
        except OSError:
            return  # no cache: a read-only project still validates
        body = pickle.dumps((self.settings, self._new), protocol=pickle.HIGHEST_PROTOCOL)
        signed = MAGIC + self.fingerprint + b"\n"
        header = signed + self._sign(signed, body) + b"\n"
        # No cache this time when it cannot be written: a full disk, a folder that cannot be
        # written, a link or anything but a file in the cache file's place.
        with contextlib.suppress(RefusedWrite):
            write_file(self.folder / CACHE_FILE, (header, body), overwrite=True, durable=False)
        self._sweep()

    def _sign(self, header: bytes | memoryview, body: bytes | memoryview) -> bytes:
        """The HMAC-SHA256, in hex, of the cache file's first lines and body under the user's key."""
        import hmac

        assert self.key is not None
        mac = hmac.new(self.key, header, "sha256")
        mac.update(body)
        return mac.hexdigest().encode()

    def _sweep(self) -> None:
        """Remove temporary files left by runs that were killed while writing (an hour old)."""
        if self.folder.is_symlink():
            return
        cutoff = time.time() - STALE_SECONDS
        with contextlib.suppress(OSError):
            for leftover in self.folder.glob(f".{CACHE_FILE}.*.tmp"):
                with contextlib.suppress(OSError):
                    if leftover.lstat().st_mtime < cutoff:
                        leftover.unlink()


def _read_regular(path: Path) -> bytes | None:
    """The bytes of ``path`` when it is a regular file (not a link, pipe or folder), else None."""
    from tdekit.fsio import read_regular

    try:
        return read_regular(path)[0]
    except OSError:
        return None


@contextlib.contextmanager
def quiet_gc() -> Iterator[None]:
    """Pause the cyclic garbage collector while many long-lived objects are made.

    Loading builds hundreds of thousands of small dicts, lists and strings that all survive;
    the collector would walk them again and again for nothing (about a fifth of a cold run).
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()
