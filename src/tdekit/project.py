"""Find a project folder and load it: settings, records, and the problems met on the way.

Loading never stops at a bad file: each file is read and checked on its own, and what is wrong
with it is kept as problems beside the records that could be read.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from tdekit.errors import SettingsError
from tdekit.frontmatter import Document, read_document, read_yaml
from tdekit.kinds import FOLDERS, SETTINGS_FILE
from tdekit.problems import Problem


@dataclass
class Record:
    """One record file: its kind and id, its checked values (None when invalid), its places."""

    kind: str
    id: str
    rel: str
    doc: Document
    data: dict[str, Any] | None

    @property
    def valid(self) -> bool:
        return self.data is not None

    @property
    def title(self) -> str:
        source = self.data if self.data is not None else (self.doc.data or {})
        value = source.get("title")
        return value if isinstance(value, str) else self.id

    def get(self, name: str, default: Any = None) -> Any:
        """A field of the checked values, else of the raw front matter, else ``default``."""
        for source in (self.data, self.doc.data):
            if source is not None and name in source:
                return source[name]
        return default


@dataclass
class Project:
    """A loaded project. ``settings`` is None when ``tde.yaml`` could not be read."""

    root: Path
    settings: dict[str, Any] | None
    records: list[Record] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)

    def of_kind(self, kind: str) -> list[Record]:
        return [r for r in self.records if r.kind == kind]

    def by_id(self) -> dict[str, Record]:
        """Records by id; the first one read wins where ids repeat (validate reports that)."""
        index: dict[str, Record] = {}
        for record in self.records:
            index.setdefault(record.id, record)
        return index

    def require_settings(self) -> dict[str, Any]:
        """The settings, or a SettingsError that lists what is wrong with ``tde.yaml``."""
        if self.settings is None:
            details = "\n".join(
                p.format() for p in self.problems if p.path == SETTINGS_FILE
            )
            raise SettingsError(f"{SETTINGS_FILE} cannot be used:\n{details}")
        return self.settings


def find_root(start: Path | None = None, override: Path | None = None) -> Path:
    """The project folder: ``override`` if given, else the nearest parent with ``tde.yaml``."""
    if override is not None:
        if not (override / SETTINGS_FILE).is_file():
            raise SettingsError(f"{override} is not a tde project: it has no {SETTINGS_FILE}")
        return override.resolve()
    here = (start or Path.cwd()).resolve()
    for folder in (here, *here.parents):
        if (folder / SETTINGS_FILE).is_file():
            return folder
    raise SettingsError(
        f"no {SETTINGS_FILE} found in {here} or any folder above it; "
        "run 'tde init' to start a project, or pass --project DIR"
    )


def record_files(root: Path) -> list[tuple[str, Path]]:
    """(kind, path) of every ``*.md`` file in the kind folders, sorted by path."""
    found: list[tuple[str, Path]] = []
    for kind, folder in FOLDERS.items():
        directory = root / folder
        if not directory.is_dir():
            continue
        with os.scandir(directory) as entries:
            for entry in entries:
                if entry.name.endswith(".md") and not entry.name.startswith("."):
                    found.append((kind, directory / entry.name))
    found.sort(key=lambda item: str(item[1]))
    return found


def load_settings(root: Path) -> tuple[dict[str, Any] | None, list[Problem]]:
    """Read and check ``tde.yaml``."""
    from tdekit.schema import check_settings

    path = root / SETTINGS_FILE
    try:
        raw = path.read_bytes()
    except OSError as err:
        raise SettingsError(f"{SETTINGS_FILE}: cannot read it ({err.strerror})") from None
    doc = read_yaml(raw, SETTINGS_FILE)
    settings = check_settings(doc) if doc.ok else None
    return settings, doc.problems


def read_record(root: Path, kind: str, path: Path) -> Record:
    """Read and check one record file, never raising for what is in it."""
    from tdekit.schema import check_record

    rel = path.relative_to(root).as_posix()
    stem = path.name[: -len(".md")]
    outside = _outside(root, path)
    if outside:
        doc = Document(path=rel, raw=b"")
        doc.problems.append(
            Problem(rel, None, None, "error", "symlink-outside",
                    f"the file is a link to {outside}, outside the project; tde does not follow it")
        )
        return Record(kind, stem, rel, doc, None)
    try:
        raw = path.read_bytes()
    except OSError as err:
        doc = Document(path=rel, raw=b"")
        doc.problems.append(
            Problem(rel, None, None, "error", "unreadable", f"cannot read the file ({err.strerror})")
        )
        return Record(kind, stem, rel, doc, None)
    doc = read_document(raw, rel)
    data = check_record(doc, kind) if doc.ok else None
    # The text is only needed while reading; keep the body, drop the copies.
    doc.raw = b""
    doc.text = ""
    record_id = stem
    if doc.data is not None and isinstance(doc.data.get("id"), str):
        record_id = doc.data["id"]
    return Record(kind, record_id, rel, doc, data)


def _outside(root: Path, path: Path) -> str | None:
    """Where ``path`` leads when it is a link that leaves the project, else None."""
    if not path.is_symlink():
        return None
    target = path.resolve()
    try:
        target.relative_to(root.resolve())
    except ValueError:
        return str(target)
    return None


def load_project(root: Path) -> Project:
    """Read ``tde.yaml`` and every record under ``root``."""
    settings, problems = load_settings(root)
    project = Project(root=root, settings=settings, problems=list(problems))
    for kind, path in record_files(root):
        record = read_record(root, kind, path)
        project.records.append(record)
        project.problems.extend(record.doc.problems)
    return project
