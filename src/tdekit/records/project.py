"""Find a project folder and load it: settings, records, and the problems met on the way.

Loading never stops at a bad file: each file is read and checked on its own, and what is wrong
with it is kept as problems beside the records that could be read.
"""

from __future__ import annotations

import os
import stat
from collections.abc import Collection
from pathlib import Path
from typing import Any

from tdekit.errors import SettingsError
from tdekit.problems import Problem
from tdekit.records.cache import RecordCache, quiet_gc, stamp_of
from tdekit.records.cache import loads as cache_loads
from tdekit.records.frontmatter import Document, read_document, read_yaml
from tdekit.records.kinds import FOLDERS, SETTINGS_FILE
from tdekit.records.record import Project, Record
from tdekit.workers import fork_map


def find_root(start: Path | None = None, override: Path | None = None) -> Path:
    """The project folder: ``override`` if given, else the nearest parent with ``tde.yaml``."""
    if override is not None:
        if not override.is_dir():
            raise SettingsError(f"{override}: no such folder")
        if not (override / SETTINGS_FILE).is_file():
            raise SettingsError(f"{override} is not a tde project: it has no {SETTINGS_FILE}")
        return override.resolve()
    try:
        here = (start or Path.cwd()).resolve()
    except FileNotFoundError:  # the shell sits in a folder that was deleted
        raise SettingsError("the current folder no longer exists; cd to the project") from None
    for folder in (here, *here.parents):
        if (folder / SETTINGS_FILE).is_file():
            return folder
    raise SettingsError(
        f"no {SETTINGS_FILE} found in {here} or any folder above it; "
        "run 'tde init' to start a project, or pass --project DIR"
    )


def outside_folders(root: Path) -> dict[str, str]:
    """Folder -> where it leads, for each kind folder that is a link leading out of the project.

    tde neither reads nor writes through such a folder, as with a record file that does so.
    """
    found: dict[str, str] = {}
    for folder in FOLDERS.values():
        target = _outside(root, root / folder)
        if target is not None:
            found[folder] = target
    return found


def _folder_refused(folder: str, target: str) -> Problem:
    return Problem(folder, None, None, "error", "symlink-outside",
                   f"the folder is a link to {target}, outside the project; tde does not follow "
                   "it, so its records are not read")


def _scan(root: Path, skip: Collection[str] = ()) -> list[tuple[str, str, bool]]:
    """(kind, project-relative path, is a symbolic link) of every record file, sorted by path;
    the folders in ``skip`` are left out."""
    found: list[tuple[str, str, bool]] = []
    for kind, folder in FOLDERS.items():
        if folder in skip:
            continue
        try:
            entries = os.scandir(root / folder)
        except (FileNotFoundError, NotADirectoryError):
            continue
        with entries:
            for entry in entries:
                name = entry.name
                if name.endswith(".md") and not name.startswith("."):
                    found.append((kind, f"{folder}/{name}", entry.is_symlink()))
    found.sort(key=lambda item: item[1])
    return found


def load_settings(root: Path) -> tuple[dict[str, Any] | None, list[Problem]]:
    """Read and check ``tde.yaml``."""
    path = root / SETTINGS_FILE
    try:
        raw = path.read_bytes()
    except OSError as err:
        raise SettingsError(f"{SETTINGS_FILE}: cannot read it ({err.strerror})") from None
    return _check_settings(raw)


def _check_settings(raw: bytes) -> tuple[dict[str, Any] | None, list[Problem]]:
    from tdekit.records import template_text
    from tdekit.records.schema import check_settings

    doc = read_yaml(raw, SETTINGS_FILE)
    settings = check_settings(doc) if doc.ok else None
    return settings, [*doc.problems, *template_text.check_settings(doc)]


def _refuse(root: Path, path: Path, rel: str, kind: str) -> Record | None:
    """A record that only says why the file is not read, when it links out of the project."""
    outside = _outside(root, path)
    if outside is None:
        return None
    doc = Document(path=rel, raw=b"")
    doc.problems.append(
        Problem(rel, None, None, "error", "symlink-outside",
                f"the file is a link to {outside}, outside the project; tde does not follow it")
    )
    return Record(kind, path.name[: -len(".md")], rel, doc, None)


def _not_a_file(path: Path, rel: str, kind: str) -> Record:
    """A record that says the path is a folder, pipe or device: opening a pipe would hang."""
    doc = Document(path=rel, raw=b"")
    doc.problems.append(
        Problem(rel, None, None, "error", "not-a-file",
                "this is not a regular file; tde reads only files")
    )
    return Record(kind, path.name[: -len(".md")], rel, doc, None)


def _unreadable(path: Path, rel: str, kind: str, err: OSError) -> Record:
    doc = Document(path=rel, raw=b"")
    doc.problems.append(
        Problem(rel, None, None, "error", "unreadable", f"cannot read the file ({err.strerror})")
    )
    return Record(kind, path.name[: -len(".md")], rel, doc, None)


def _check_bytes(raw: bytes, rel: str, kind: str, stem: str, root: Path) -> Record:
    """The record that the bytes ``raw`` of the file ``rel`` in the project ``root`` make."""
    from tdekit.records import template_text
    from tdekit.records.schema import check_record
    from tdekit.records.values import plain

    doc = read_document(raw, rel)
    values = check_record(doc, kind) if doc.ok else None
    data = None if values is None else plain(values, doc.data)
    doc.problems += template_text.check_record(doc, kind, root)
    # The text is only needed while reading; keep the body, drop the copies.
    doc.raw = b""
    doc.text = ""
    record_id = stem
    if doc.data is not None and isinstance(doc.data.get("id"), str):
        record_id = doc.data["id"]
    return Record(kind, record_id, rel, doc, data, values)


def _outside(root: Path, path: Path) -> str | None:
    """Where ``path`` leads when it is a link that leaves the project, else None."""
    if not path.is_symlink():
        return None
    return outside_target(root, path)


def outside_target(root: Path, path: Path) -> str | None:
    """Where ``path`` leads when that is outside ``root`` (through any link on the way), else None."""
    target = path.resolve()
    try:
        target.relative_to(root.resolve())
    except ValueError:
        return str(target)
    return None


def load_project(root: Path) -> Project:
    """Read ``tde.yaml`` and every record under ``root``.

    Files unchanged since the last run come from the project's cache (:mod:`tdekit.records.cache`)
    exactly as they were read then; the others are read, checked and added to it, shared
    among the machine's cores when there are many (:mod:`tdekit.workers`).
    """
    try:
        settings_raw = (root / SETTINGS_FILE).read_bytes()
    except OSError as err:
        raise SettingsError(f"{SETTINGS_FILE}: cannot read it ({err.strerror})") from None
    from tdekit.records import template_text

    template_text.forget()  # a project's templates are read once a run, and afresh the next
    with quiet_gc():
        cache = RecordCache(root, settings_raw)
        cached = cache.cached_settings()
        if cached is None:
            cached = _check_settings(settings_raw)
            cache.store_settings(*cached)
        settings, problems = cached
        project = Project(root=root, settings=settings, problems=list(problems))
        records: list[Record | None] = []
        to_read: list[tuple[int, str, str, Path]] = []
        project.outside = outside_folders(root)
        project.problems.extend(_folder_refused(f, to) for f, to in project.outside.items())
        for kind, rel, is_link in _scan(root, skip=project.outside):
            path = root / rel
            record = _refuse(root, path, rel, kind) if is_link else None
            if record is None:
                record = _known(cache, path, rel, kind)
            if record is None:
                to_read.append((len(records), kind, rel, path))
            records.append(record)
        for job, fresh in zip(to_read, _read_all(cache, to_read), strict=True):
            records[job[0]] = fresh
        project.records = [record for record in records if record is not None]
        for record in project.records:
            project.problems.extend(record.doc.problems)
        cache.save()
    return project


def _known(cache: RecordCache, path: Path, rel: str, kind: str) -> Record | None:
    """The record when the cache holds it, or when there is nothing to read; None to read it."""
    try:
        status = path.stat()
    except OSError as err:
        return _unreadable(path, rel, kind, err)
    if not stat.S_ISREG(status.st_mode):
        return _not_a_file(path, rel, kind)
    return cache.lookup(rel, stamp_of(status), path)


def _read_all(cache: RecordCache, jobs: list[tuple[int, str, str, Path]]) -> list[Record]:
    """Read and check the files of ``jobs``: the first here (which loads the reader), the rest
    shared with forked workers when there are many; each is added to the cache."""
    if not jobs:
        return []

    def entry(job: tuple[int, str, str, Path]) -> tuple[Any, ...] | None:
        _, kind, rel, path = job
        try:
            with open(path, "rb") as handle:  # noqa: PTH123 - the stamp must come from this very file
                stamp = stamp_of(os.fstat(handle.fileno()))
                raw = handle.read()
        except OSError:
            return None
        return cache.entry_for(rel, stamp, raw, _check_bytes(raw, rel, kind, path.name[: -len(".md")], cache.root))

    from tdekit.records import template_text

    for kind in {job[1] for job in jobs}:  # read the templates' prompts once, before forking
        template_text.prompts(cache.root, kind)
    entries = [entry(jobs[0]), *fork_map(entry, jobs[1:], loads=cache_loads)]
    records: list[Record] = []
    for (_, kind, rel, path), made in zip(jobs, entries, strict=True):
        if made is None:  # unreadable: read it once more here for the reason
            try:
                raw = path.read_bytes()
            except OSError as err:
                records.append(_unreadable(path, rel, kind, err))
                continue
            records.append(_check_bytes(raw, rel, kind, path.name[: -len(".md")], cache.root))
        else:
            records.append(cache.keep(rel, made))
    return records
