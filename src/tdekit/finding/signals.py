"""Write a tally as the signal record of its source: ``signals/<slug of the source>.md``.

A new signal is made from the kind's template (:func:`tdekit.scaffold.write_record`); running
again on the same source replaces the counts and keeps what the team wrote: the title, the
tags, the date it was created and the body. The change is written atomically, under the
project's lock, and described field by field.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from tdekit.errors import ProjectError, RefusedWrite, UsageError
from tdekit.finding.small import SMALL, shown
from tdekit.finding.tally import Tally
from tdekit.records.kinds import FOLDERS

__all__ = ["SMALL", "Written", "describe_changes", "shown", "signal_values", "write_signal"]

BODY = (
    "Tallied by `tde find requests` from {file}: counts per topic only; no request's text,\n"
    "name or address is kept here. Notes on how the log was exported and what it leaves out\n"
    "go here."
)


@dataclass
class Written:
    """What writing a signal did: its path (relative), whether it is new, and what changed."""

    path: str
    created: bool
    changes: list[str] = field(default_factory=list)


def signal_values(tally: Tally, source: str, kind: str) -> dict[str, Any]:
    """The signal's fields from a tally (without id and title)."""
    values: dict[str, Any] = {"source": source, "kind": kind}
    if tally.first is not None and tally.last is not None:
        values["period"] = {"from": tally.first, "to": tally.last}
    values["rows"] = tally.rows
    values["counts"] = dict(sorted(tally.counts.items(), key=lambda item: (-item[1], item[0])))
    values["unmatched"] = tally.unmatched
    values["top_unmatched"] = [{"category": c, "rows": n} for c, n in tally.top_unmatched()]
    values["file"] = tally.file
    return values


def write_signal(root: Path, source: str, kind: str, tally: Tally, *, today: dt.date | None = None) -> Written:
    """Write or replace the signal of ``source``; refuse an id another kind holds."""
    from tdekit.fsio import project_lock, write_file
    from tdekit.scaffold import slugify

    record_id = slugify(source)
    if not record_id:
        raise UsageError(f"cannot make an id from the source {source!r}; name it with letters or digits")
    rel = f"{FOLDERS['signal']}/{record_id}.md"
    path = root / rel
    _refuse_other_kinds(root, record_id)
    values = signal_values(tally, source, kind)
    with project_lock(root, FOLDERS.values()):
        old = _existing(path, rel)
        raw = _record_bytes(root, record_id, source, values, old, tally.file, today)
        folder = path.parent
        if folder.is_symlink() and not folder.resolve().is_relative_to(root.resolve()):
            raise RefusedWrite(f"{FOLDERS['signal']}/ is a link out of the project; tde does not write through it")
        try:
            folder.mkdir(exist_ok=True)
        except OSError as err:
            raise RefusedWrite(f"cannot create {FOLDERS['signal']}/: {err.strerror}") from None
        write_file(path, raw, overwrite=True, shown=rel)
    changes = [] if old is None else describe_changes(old[0], values)
    return Written(path=rel, created=old is None, changes=changes)


def _refuse_other_kinds(root: Path, record_id: str) -> None:
    for kind, folder in FOLDERS.items():
        other = root / folder / f"{record_id}.md"
        if kind != "signal" and (other.exists() or other.is_symlink()):
            raise RefusedWrite(
                f"{folder}/{record_id}.md already has the id {record_id!r}; ids are unique across "
                "the project: name the source differently with --source"
            )


def _existing(path: Path, rel: str) -> tuple[dict[str, Any], str] | None:
    """The values and body of the signal there now, or None; a file that cannot be read stops."""
    from tdekit.records.frontmatter import read_document

    if not (path.exists() or path.is_symlink()):
        return None
    if path.is_symlink() or not path.is_file():
        raise RefusedWrite(f"{rel} is not a regular file; tde does not replace it")
    doc = read_document(path.read_bytes(), rel)
    if doc.data is None:
        first = doc.problems[0].format() if doc.problems else f"{rel}: no front matter"
        raise ProjectError(f"{first}; fix {rel} or remove it, then run again")
    body = "".join(doc.text.splitlines(keepends=True)[doc.body_line - 1:])
    return doc.data, body


def _record_bytes(
    root: Path, record_id: str, source: str, values: dict[str, Any],
    old: tuple[dict[str, Any], str] | None, file: str, today: dt.date | None,
) -> bytes:
    from tdekit.records.frontmatter import read_document
    from tdekit.records.schema import check_record
    from tdekit.records.writing import FieldPath
    from tdekit.scaffold import write_record

    title, body = source, BODY.format(file=file)
    kept: dict[str, Any] = {}
    if old is not None:
        data, body = old
        title = data["title"] if isinstance(data.get("title"), str) and data["title"].strip() else source
        kept = {k: data[k] for k in ("created", "tags") if isinstance(data.get(k), (dt.date, list))}
    fields: dict[FieldPath, object] = {"id": record_id, "title": title}
    fields.update(values)
    fields.update(kept)
    raw = write_record("signal", fields, body, root=root, today=today)
    doc = read_document(raw, f"signals/{record_id}.md")
    check_record(doc, "signal")
    errors = [p for p in doc.problems if p.severity == "error"]
    if errors:
        raise ProjectError(f"the signal cannot be written: {errors[0].format()}")
    return raw


def describe_changes(old: dict[str, Any], new: dict[str, Any]) -> list[str]:
    """One line per field whose value changed: ``rows: 1,200 -> 1,350``; counts per topic."""
    lines: list[str] = []
    for name in ("source", "kind", "file", "rows", "unmatched"):
        _change(lines, name, old.get(name), new.get(name))
    old_period = old.get("period") if isinstance(old.get("period"), dict) else {}
    for end in ("from", "to"):
        _change(lines, f"period.{end}", (old_period or {}).get(end), new.get("period", {}).get(end))
    old_counts = old.get("counts") if isinstance(old.get("counts"), dict) else {}
    new_counts = new["counts"]
    for topic in [*new_counts, *[t for t in (old_counts or {}) if t not in new_counts]]:
        _change(lines, f"counts.{topic}", (old_counts or {}).get(topic), new_counts.get(topic))
    if _categories(old.get("top_unmatched")) != _categories(new.get("top_unmatched")):
        lines.append("top_unmatched: the categories in no topic changed")
    return lines


def _categories(value: Any) -> list[Any]:
    return [item.get("category") for item in value or [] if isinstance(item, dict)]


def _change(lines: list[str], name: str, before: Any, after: Any) -> None:
    said_before, said_after = _say(before), _say(after)
    if said_before != said_after:
        lines.append(f"{name}: {said_before} -> {said_after}")


def _say(value: Any) -> str:
    if value is None:
        return "none"
    if isinstance(value, bool):
        return str(value).lower()
    if isinstance(value, int):
        return shown(value) if value else "0"
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value)
