"""``tde feedback import``: one feedback record per form row or e-mail, all or nothing.

The source is read first (:mod:`.forms` for form exports, :mod:`.mail` for e-mail), each row
mapped to the record's fields (:mod:`.mapping`: ``--map``, ``tde.yaml``'s ``imports.feedback``,
or headers guessed), then made into the bytes of a new record with
:func:`tdekit.scaffold.write_record` and checked with the border, like every record. Any row
that cannot be made refuses the whole import, naming its row; nothing is written. Then, under
the project lock, every new file is written atomically; one that fails takes the others back.

Each record gets an ``import_key``: a hash of what the row says (date, name, contact, section,
text, answers), and of how many identical rows came before it in the file. A row whose key a
record of the project already holds is not imported again, so importing the same export, or a
longer one downloaded later, adds only the new rows.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import hashlib
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from tdekit import fsio
from tdekit.errors import ProjectError, UsageError
from tdekit.imports.mapping import Entry, Mapping_, read_entries
from tdekit.records.kinds import FOLDERS
from tdekit.records.record import Project

__all__ = ["FeedbackOptions", "ImportResult", "import_feedback"]

#: The most problems listed before the rest are counted.
_SHOWN_PROBLEMS = 20


@dataclass(frozen=True)
class FeedbackOptions:
    plan: str
    maps: dict[str, str] = field(default_factory=dict)
    channel: str | None = None
    round: int | None = None
    dates: str | None = None  # "dmy" or "mdy"
    encoding: str | None = None
    delimiter: str | None = None
    dry_run: bool = False


@dataclass(frozen=True)
class NewRecord:
    where: str  # "row 4", "reply.eml"
    id: str
    path: str
    consent: str
    date: dt.date
    section: str


@dataclass(frozen=True)
class ImportResult:
    source: str
    shape: str
    mapping: Mapping_ | None
    added: tuple[NewRecord, ...]
    already: int  # rows imported before
    empty: int  # rows with no text
    written: bool


def import_feedback(root: Path, source: Path, options: FeedbackOptions) -> ImportResult:
    """Import the rows or messages of ``source`` as feedback on ``options.plan``."""
    from tdekit.publish.choice import choose_plan
    from tdekit.records.project import load_project

    # One reading of the project, under the lock that the write needs (none for --dry-run).
    with contextlib.nullcontext() if options.dry_run else fsio.project_lock(root, FOLDERS.values()):
        project = load_project(root)
        settings = project.require_settings()
        options = replace(options, plan=choose_plan(project, options.plan).id)  # plans/x.md -> x
        config: dict[str, Any] = ((settings.get("imports") or {}).get("feedback") or {})
        shape, mapping, entries = read_entries(source, options, config)
        prepared = _prepare(project, source, entries, options, config, email=mapping is None)
        if not options.dry_run:
            _write_all(root, prepared.files)
    return ImportResult(str(source), shape, mapping, prepared.added, prepared.already, prepared.empty,
                        written=not options.dry_run and bool(prepared.added))


@dataclass(frozen=True)
class _Prepared:
    added: tuple[NewRecord, ...]
    already: int
    empty: int
    files: dict[str, bytes]


def _prepare(
    project: Project, source: Path, entries: list[Entry], options: FeedbackOptions,
    config: dict[str, Any], *, email: bool,
) -> _Prepared:
    """The new records' bytes, or a ProjectError listing every row that cannot be one."""
    from tdekit.imports.making import Maker

    known = {r.get("import_key") for r in project.of_kind("feedback")}
    maker = Maker(project, options, config, entries, default_channel="email" if email else "online_comment")
    problems: list[str] = []
    added: list[NewRecord] = []
    files: dict[str, bytes] = {}
    already = empty = 0
    seen: dict[str, int] = {}
    for entry in entries:
        if not entry.fields.get("body", "").strip() and not entry.problem:
            empty += 1
            continue
        content = "\x1f".join(" ".join(entry.fields.get(k, "").split()) for k in sorted(entry.fields))
        seen[content] = seen.get(content, 0) + 1
        key = hashlib.sha256(f"{content}\x1e{seen[content]}".encode()).hexdigest()[:20]
        if key in known:
            already += 1
            continue
        try:
            made = maker.make(entry, key)
        except UsageError as err:
            problems.append(f"{source.name}: {entry.where}: {err.message}")
            continue
        files[made.path] = made.raw
        added.append(NewRecord(entry.where, made.id, made.path, made.consent, made.date, made.section))
    if problems:
        more = len(problems) - _SHOWN_PROBLEMS
        shown = problems[:_SHOWN_PROBLEMS] + ([f"... and {more} more"] if more > 0 else [])
        raise ProjectError("\n".join([*shown, f"nothing was imported: {len(problems)} of "
                                      f"{len(entries)} rows refused; fix them (or the mapping) and import again"]))
    return _Prepared(tuple(added), already, empty, files)


def _write_all(root: Path, files: dict[str, bytes]) -> None:
    """Write every new file, all or none (:func:`tdekit.fsio.write_new_files`)."""
    fsio.write_new_files({root / rel: (raw, rel) for rel, raw in files.items()})
