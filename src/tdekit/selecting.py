"""Select the one use case a plan will be drafted for (the start of TDE Step 3).

Selecting changes the ``status`` value of the chosen use case to ``selected`` and that of any
previously selected one back to ``shortlisted``, and nothing else: each file is re-read inside
the project lock and only the characters of its status value are swapped (its quoting kept),
so comments, key order, flow lists, the BOM and CRLF line ends stay as they were.

Before anything is written every touched file must validate and be writable; if a later write
still fails, the files already written are put back, so a refused selection changes nothing.

What a crash (``kill -9``, a power cut) in the middle can leave, and why each is acceptable.
Each file is replaced whole by :func:`tdekit.fsio.write_file` (temporary file, fsync, rename,
fsync of the folder), so every file is its old bytes or its new bytes, never torn, and a rename
is on disk before the next write starts. The chosen use case is written first, then the ones
it replaces, so the possible states are:

1. nothing renamed yet: the project as it was. A temporary ``.ID.md.XXXXXXXX.tmp`` may be left
   in ``usecases/``; no reader looks at it (record files end in ``.md`` and hidden names are
   skipped) and the next command that takes the project lock removes it
   (:func:`tdekit.fsio.project_lock`).
2. the chosen use case selected, an earlier one still selected: ``tde validate`` reports
   ``several-selected`` on each of them, naming the other and saying that ``tde select ID``
   fixes it; running the same ``tde select`` again finishes the job, since that problem does
   not block a selection. Nothing is lost: both choices are still in the files to see.
3. everything written: the selection is done (a temporary file may remain, as in 1).

The other order (send the old one back first) could stop with no use case selected, which
validates cleanly, so nobody would learn that the selection was lost. A put-back after a
refused write (:func:`_apply`) undoes the writes in reverse order, selecting the earlier use
cases again before the chosen one goes back, so a crash during it leaves state 2 as well.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from tdekit import fsio
from tdekit.errors import ProjectError, RefusedWrite
from tdekit.problems import Problem
from tdekit.records.frontmatter import Document, read_document
from tdekit.records.kinds import FOLDERS, KINDS
from tdekit.records.project import load_project
from tdekit.records.record import Project, Record
from tdekit.records.writing import FieldError, set_fields
from tdekit.text import closest

SELECTED = "selected"
DEMOTED = "shortlisted"
STATUS = ("status",)
#: A problem that selecting is the fix for, so it does not block the selection.
_FIXED_BY_SELECTING = frozenset({"several-selected"})


@dataclass(frozen=True)
class Selection:
    """What ``select_usecase`` did: the selected use case and the ones sent back."""

    selected: str
    path: str
    demoted: tuple[tuple[str, str], ...]  # (id, path) of each use case now shortlisted
    changed: bool
    #: The final plan of the selected use case, if it has one: its cycle is done (Step 4).
    final_plan: str | None = None


@dataclass(frozen=True)
class _Edit:
    path: Path
    rel: str
    before: bytes
    after: bytes


def select_usecase(root: Path, usecase_id: str) -> Selection:
    """Mark ``usecase_id`` selected and any other selected use case shortlisted."""
    with fsio.project_lock(root, FOLDERS.values()):
        project = load_project(root)  # loaded under the lock: no other select is half done
        target = _find(project, usecase_id)
        previous = [
            r for r in project.of_kind("usecase") if r is not target and r.get("status") == SELECTED
        ]
        if target.get("status") == SELECTED and not previous:
            return Selection(target.id, target.rel, (), changed=False, final_plan=_final_plan_of(project, target))
        _refuse_problems(project, [target, *previous])
        # The chosen one first, then the ones it replaces: see the module's note on crashes.
        edits = [_edit(root, target, SELECTED)] if target.get("status") != SELECTED else []
        edits += [_edit(root, r, DEMOTED) for r in previous]
        for edit in edits:
            _check_writable(edit)
        _apply(edits)
    return Selection(
        target.id, target.rel, tuple((r.id, r.rel) for r in previous), changed=True,
        final_plan=_final_plan_of(project, target),
    )



def _find(project: Project, usecase_id: str) -> Record:
    folder = FOLDERS["usecase"]
    target = project.outside.get(folder)
    if target is not None:
        raise RefusedWrite(
            f"nothing changed: {folder}/ is a link to {target}, outside the project; tde does "
            "not read or write through it"
        )
    by_id = project.by_id()
    record = by_id.get(usecase_id)
    if record is None:
        usecases = [r.id for r in project.of_kind("usecase")]
        guess = closest(usecase_id, usecases)
        hint = f"; did you mean '{guess}'?" if guess else ""
        known = "" if hint or not usecases else f"; the use cases are: {', '.join(usecases)}"
        raise ProjectError(f"no use case '{usecase_id}' in this project{hint}{known}")
    if record.kind != "usecase":
        raise ProjectError(
            f"'{usecase_id}' is {KINDS[record.kind].named} ({record.rel}), not a use case; "
            "only use cases can be selected"
        )
    return record


def _refuse_problems(project: Project, records: list[Record]) -> None:
    from tdekit.validate import validate_project

    paths = {r.rel for r in records}
    errors = [
        p for p in validate_project(project)
        if p.path in paths and p.severity == "error" and p.code not in _FIXED_BY_SELECTING
    ]
    if errors:
        raise ProjectError(_refusal(errors))


def _refusal(errors: list[Problem]) -> str:
    """One line: which files have errors, the first of them, and how many more there are."""
    files = sorted({p.path for p in errors})
    first = errors[0]
    one = len(errors) == 1
    more = "" if one else f" (and {len(errors) - 1} more: run 'tde validate')"
    return (
        f"nothing changed: {' and '.join(files)} {'has' if len(files) == 1 else 'have'} "
        f"{'an error' if one else f'{len(errors)} errors'}; fix {'it' if one else 'them'} first: "
        f"{first.where()}: {first.message} [{first.code}]{more}"
    )


def _edit(root: Path, record: Record, status: str) -> _Edit:
    """The new bytes of ``record``'s file with its status value swapped for ``status``."""
    path = root / record.rel
    try:
        before = path.read_bytes()
    except OSError as err:
        raise RefusedWrite(f"nothing changed: cannot read {record.rel} ({err.strerror})") from None
    doc = read_document(before, record.rel)
    if doc.data is None or STATUS not in doc.value_spans or any(
        p.severity == "error" for p in doc.problems
    ):
        raise ProjectError(f"nothing changed: {record.rel} has problems; run 'tde validate'")
    if doc.data.get("status") != record.get("status"):
        raise ProjectError(
            f"nothing changed: {record.rel} changed while tde was reading it; run tde select again"
        )
    try:
        # only the status value changes, in the quotes it was written with
        after = set_fields(before, {STATUS: status}, name=record.rel)
    except FieldError:
        line, _ = doc.where(STATUS)
        raise ProjectError(
            f"nothing changed: {record.rel}:{line}: the status must be a one-line value to be "
            "changed by tde select"
        ) from None
    _verify(doc, after, status)
    return _Edit(path, record.rel, before, after)


def _verify(doc: Document, after: bytes, status: str) -> None:
    """Refuse an edit that would change anything but the status value."""
    reread = read_document(after, doc.path)
    expected = dict(doc.data or {})
    expected["status"] = status
    same_problems = [p.code for p in reread.problems] == [p.code for p in doc.problems]
    if reread.data != expected or reread.body != doc.body or not same_problems:
        raise ProjectError(  # pragma: no cover - a safety net for the reader's spans
            f"nothing changed: {doc.path}: could not change the status alone; edit it by hand"
        )


def _check_writable(edit: _Edit) -> None:
    """Refuse, before anything is written, a file that tde may not or should not replace."""
    if edit.path.is_symlink():
        raise RefusedWrite(
            f"nothing changed: {edit.rel} is a symbolic link; tde does not write through links"
        )
    mode = edit.path.stat().st_mode
    if not mode & 0o222 or not os.access(edit.path, os.W_OK):
        raise RefusedWrite(
            f"nothing changed: {edit.rel} is read-only; make it writable (chmod u+w) and try again"
        )
    if not os.access(edit.path.parent, os.W_OK | os.X_OK):
        raise RefusedWrite(
            f"nothing changed: the folder of {edit.rel} is not writable, so tde cannot replace "
            "the file safely"
        )


def _apply(edits: list[_Edit]) -> None:
    """Write every edit; if one fails, put back the files already written."""
    done: list[_Edit] = []
    for edit in edits:
        try:
            fsio.write_file(edit.path, edit.after, overwrite=True, shown=edit.rel)
        except RefusedWrite as err:
            for written in reversed(done):
                fsio.write_file(written.path, written.before, overwrite=True, shown=written.rel)
            raise RefusedWrite(f"nothing changed: {err.message}") from None
        done.append(edit)


def _final_plan_of(project: Project, usecase: Record) -> str | None:
    """The id of a final plan for ``usecase``: the rule of ``tde score``'s "done"."""
    from tdekit.scoring.ranking import final_plans

    return final_plans(project).get(usecase.id)
