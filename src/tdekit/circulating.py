"""``tde circulate``: start a round of comment on a plan, recorded as an annotated git tag.

The plan's ``status`` becomes ``circulated`` (and ``--closes`` sets ``comment_period.closes``)
by changing those values alone, every other byte kept (:mod:`tdekit.records.writing`). The plan
file, and only it, is committed; the commit is tagged ``tde/<plan-id>/round-<n>``, n being one
more than the rounds tagged before, with the round and the date in the tag's message. That tag
is what ``tde render plan --changes-since`` builds the earlier plan from.

Refused, with nothing changed: outside a git work tree (the round is a tag), while the project
has errors (a plan circulated must be one that renders), while the plan file has changes not
committed (the round must be the plan as the team wrote it, not a half-edited file; commit or
discard them first). Other files with changes not committed are left alone and not committed;
the tag marks the last commit, so they are not part of the round (the command says so).
Circulating a plan that is circulated already, unchanged since its last round, makes no new
round.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

from tdekit import clock, fsio, gitlog
from tdekit.errors import ProjectError
from tdekit.records.frontmatter import read_document
from tdekit.records.kinds import FOLDERS
from tdekit.records.project import load_project
from tdekit.records.record import Record
from tdekit.records.writing import FieldError, set_fields

CIRCULATED = "circulated"


@dataclass(frozen=True)
class Circulation:
    """What ``circulate_plan`` did."""

    plan: str
    path: str
    round: int
    tag: str
    date: str
    changed: bool  # False: the plan was circulated already, unchanged since its last round
    others: tuple[str, ...]  # other files with changes not committed, left out of the round


def rounds(root: Path, plan_id: str) -> list[int]:
    """The round numbers tagged for ``plan_id``, in order."""
    return list(gitlog.plan_rounds(root, plan_id))


def circulate_plan(root: Path, plan_id: str | None, closes: dt.date | None = None) -> Circulation:
    """Circulate the plan (see :func:`tdekit.publish.choice.choose_plan`) as its next round."""
    from tdekit.publish.choice import choose_plan

    _require_git(root)
    with fsio.project_lock(root, FOLDERS.values()):
        project = load_project(root)
        record = choose_plan(project, plan_id)
        _refuse_errors(project)
        dirty = gitlog.uncommitted(root)
        if record.rel in dirty:
            raise ProjectError(
                f"nothing changed: {record.rel} has changes that are not committed "
                f"({dirty[record.rel]}); commit them (or discard them) first, so that the round "
                "is the plan as you wrote it"
            )
        today = clock.today()
        if closes is not None and closes < today:
            raise ProjectError(
                f"nothing changed: --closes {closes.isoformat()} is before today ({today.isoformat()})"
            )
        before = (root / record.rel).read_bytes()
        after = _circulated(record, before, closes, today)
        done = rounds(root, record.id)
        others = tuple(sorted(p for p in dirty if p != record.rel))
        # The plan file has no uncommitted change (refused above): the work tree's is HEAD's.
        if after == before and done and gitlog.unchanged_in_work_tree(
            root, gitlog.round_tag(record.id, done[-1]), record.rel
        ):
            return Circulation(record.id, record.rel, done[-1], gitlog.round_tag(record.id, done[-1]),
                               today.isoformat(), changed=False, others=others)
        number = (done[-1] if done else 0) + 1
        tag = gitlog.round_tag(record.id, number)
        title = str(record.get("title") or record.id)
        if after != before:
            fsio.write_file(root / record.rel, after, overwrite=True, shown=record.rel)
            failed = gitlog.commit_file(root, record.rel, f"Circulate {record.id} for comment: round {number}")
            if failed is not None:
                fsio.write_file(root / record.rel, before, overwrite=True, shown=record.rel)
                raise ProjectError(f"nothing changed: git could not commit {record.rel}: {failed}")
        message = f"Round {number} of {title}: circulated for comment on {today.isoformat()}"
        if closes or _closes(record):
            message += f", comments until {(closes or _closes(record))}"
        failed = gitlog.tag(root, tag, message)
        if failed is not None:
            raise ProjectError(f"git could not tag the round as {tag}: {failed}")
    return Circulation(record.id, record.rel, number, tag, today.isoformat(), changed=True, others=others)


def _closes(record: Record) -> str | None:
    period = record.get("comment_period")
    value = period.get("closes") if isinstance(period, dict) else None
    return value.isoformat() if isinstance(value, dt.date) else None


def _require_git(root: Path) -> None:
    why = gitlog.why_not_work_tree(root)
    if why is not None:
        raise ProjectError(
            f"nothing changed: {why}; tde circulate records each round as a git tag, so the "
            "project must be in a git repository (git init, then commit the project)"
        )


def _refuse_errors(project: object) -> None:
    from tdekit.records.record import Project
    from tdekit.validate import validate_project

    assert isinstance(project, Project)
    errors = [p for p in validate_project(project) if p.severity == "error"]
    if errors:
        first = errors[0]
        more = f" (and {len(errors) - 1} more: run 'tde validate')" if len(errors) > 1 else ""
        raise ProjectError(
            f"nothing changed: the project has {'an error' if len(errors) == 1 else f'{len(errors)} errors'}; "
            f"fix {'it' if len(errors) == 1 else 'them'} before circulating: "
            f"{first.where()}: {first.message} [{first.code}]{more}"
        )


def _circulated(record: Record, raw: bytes, closes: dt.date | None, today: dt.date) -> bytes:
    """The plan's bytes with its status circulated and, when given, its closing date set."""
    doc = read_document(raw, record.rel)
    fields: dict[str | tuple[str | int, ...], object] = {}
    if doc.data is None or doc.data.get("status") != CIRCULATED:
        fields[("status",)] = CIRCULATED
    period = (doc.data or {}).get("comment_period")
    if closes is not None:
        opens = period.get("opens") if isinstance(period, dict) else None
        if isinstance(opens, dt.date) and closes < opens:
            raise ProjectError(
                f"nothing changed: --closes {closes.isoformat()} is before the comment period "
                f"opens ({opens.isoformat()}, in {record.rel})"
            )
        if not isinstance(period, dict) or not period:
            fields[("comment_period",)] = {"opens": today, "closes": closes}
        elif period.get("closes") != closes:
            fields[("comment_period", "closes")] = closes
    try:
        after = set_fields(raw, fields, name=record.rel) if fields else raw
    except FieldError as err:
        if err.path != ("comment_period", "closes"):
            line, _ = doc.where(err.path)
            raise ProjectError(
                f"nothing changed: {record.rel}:{line}: {'.'.join(map(str, err.path))} must be a "
                "one-line value to be changed by tde circulate"
            ) from None
        after = _add_closes(raw, record.rel, closes)
        if ("status",) in fields:
            after = set_fields(after, {("status",): CIRCULATED}, name=record.rel)
    return after


def _add_closes(raw: bytes, rel: str, closes: dt.date | None) -> bytes:
    """``closes:`` added as the first entry of a block ``comment_period`` that lacks it."""
    doc = read_document(raw, rel)
    children = sorted(
        (span.line, span.column) for path, span in doc.key_spans.items()
        if len(path) == 2 and path[0] == "comment_period"
    )
    if not children or closes is None:
        line, _ = doc.where(("comment_period",))
        raise ProjectError(
            f"nothing changed: {rel}:{line}: comment_period must be a block of fields (one a line) "
            "for tde circulate to set its closing date; add closes: by hand"
        )
    line, column = children[0]
    lines = doc.text.splitlines(keepends=True)
    lines.insert(line - 1, f"{' ' * (column - 1)}closes: {closes.isoformat()}{doc.newline}")
    from tdekit.records.writing import document_bytes

    after = document_bytes(doc, "".join(lines))
    reread = read_document(after, rel)
    expected = dict(doc.data or {})
    expected["comment_period"] = {**(doc.data or {}).get("comment_period", {}), "closes": closes}
    if reread.data != expected or reread.body != doc.body:
        raise ProjectError(f"nothing changed: {rel}: could not add comment_period.closes; add it by hand")
    return after
