"""The project rules of ``tde validate``: what no single file can know on its own.

Each file has already been read and checked against its model while the project was loaded
(:mod:`tdekit.records.project`); those problems are kept in ``project.problems``. The rules here look
across records: ids against file names and against each other, references between records,
scores against ``tde.yaml``, and the workflow rules of the method (one selected use case, no
final plan with open feedback, a response for every decided piece of feedback).

The rules read each record's raw front matter where its checked values are missing, so a
record with one bad field is still checked for everything else: one mistake never hides another.
Values that are not of the right shape are skipped here, because the schema check has already
reported them.
"""

from __future__ import annotations

import os
import re
from collections import defaultdict
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import replace
from pathlib import Path
from typing import Any

from tdekit.engagements import check_engagements
from tdekit.errors import UsageError
from tdekit.problems import Problem
from tdekit.records.frontmatter import Path_
from tdekit.records.kinds import DISPOSITIONS, FOLDERS, KINDS, REFERENCES, SLUG_PATTERN
from tdekit.records.record import Project, Record
from tdekit.text import closest, plural

__all__ = ["in_scope", "scope", "seen_from", "summary", "validate_project"]

_SLUG = re.compile(SLUG_PATTERN)

#: How each kind is named in messages.
KIND_NAMES: dict[str, str] = {name: spec.named for name, spec in KINDS.items()}


def validate_project(project: Project) -> list[Problem]:
    """Every problem in ``project``: its files' own, then the rules across records, sorted."""
    problems = [*project.problems, *_rules(project)]
    unique = dict.fromkeys(problems)  # the same problem found twice is reported once
    return sorted(unique, key=Problem.sort_key)


def scope(root: Path, paths: Sequence[Path]) -> list[str]:
    """The project-relative paths (files or folders) named by ``paths``, given from the cwd.

    Raises UsageError for a path that does not exist or lies outside the project.
    """
    prefixes: list[str] = []
    for given in paths:
        if not given.exists() and not given.is_symlink():
            raise UsageError(f"{given}: no such file or folder")
        lexical = Path(os.path.normpath(Path.cwd() / given))
        for candidate in (lexical, lexical.resolve()):
            if candidate.is_relative_to(root):
                prefixes.append(candidate.relative_to(root).as_posix())
                break
        else:
            raise UsageError(f"{given} is not inside the project folder {root}")
    return prefixes


def seen_from(problems: Iterable[Problem], root: Path, here: Path) -> list[Problem]:
    """``problems`` with their paths relative to the folder ``here`` when it is inside the
    project below its top (as git and ruff print them, so that editors find the files);
    otherwise as they are, relative to the project folder ``root``."""
    if here == root or not here.is_relative_to(root):
        return list(problems)
    return [replace(p, path=os.path.relpath(root / p.path, here)) for p in problems]


def in_scope(path: str, prefixes: Iterable[str] | None) -> bool:
    """True when the project-relative ``path`` is one of ``prefixes`` or inside one of them."""
    if prefixes is None:
        return True
    return any(p == "." or path == p or path.startswith(p + "/") for p in prefixes)


def summary(problems: Sequence[Problem], checked: int) -> str:
    """One line: how many records were checked, and how many errors and warnings in how many files."""
    head = f"{plural(checked, 'record')} checked"
    if not problems:
        return f"{head}: no problems"
    errors = sum(1 for p in problems if p.severity == "error")
    warnings = len(problems) - errors
    files = len({p.path for p in problems})
    parts = [plural(count, word) for count, word in ((errors, "error"), (warnings, "warning")) if count]
    return f"{head}: {', '.join(parts)} in {plural(files, 'file')}"


def _rules(project: Project) -> Iterator[Problem]:
    from tdekit.commenting import check_comment_periods
    from tdekit.finding.rules import check_find
    from tdekit.following import check_following
    from tdekit.translations import check_translations

    yield from _check_ids(project)
    yield from _check_references(project)
    yield from _check_scores(project)
    yield from _check_selection(project)
    yield from _check_feedback(project)
    yield from check_find(project)
    yield from check_engagements(project)
    yield from check_comment_periods(project)
    yield from check_following(project)
    yield from check_translations(project)


# --- ids -----------------------------------------------------------------------------------


def _stem(record: Record) -> str:
    return record.rel.rsplit("/", 1)[-1].removesuffix(".md")


def _declared_id(record: Record) -> str | None:
    """The id written in the file, when it is text (the schema reports anything else)."""
    data = record.doc.data
    value = data.get("id") if data is not None else None
    return value if isinstance(value, str) else None


def _check_ids(project: Project) -> Iterator[Problem]:
    for record in project.records:
        declared = _declared_id(record)
        stem = _stem(record)
        if declared is not None and declared != stem and _SLUG.match(declared):
            yield record.doc.problem(
                ("id",), "error", "id-mismatch",
                f"id '{declared}' does not match the file name '{stem}.md'; rename the file "
                f"to '{declared}.md' or change the id to '{stem}'",
            )

    first_of: dict[str, Record] = {}
    folded: dict[str, list[Record]] = defaultdict(list)
    for record in project.records:
        if not record.doc.ok:
            continue  # a file that cannot be read has no id to compare
        earlier = first_of.get(record.id)
        if earlier is not None:
            yield record.doc.problem(
                _id_place(record), "error", "duplicate-id",
                f"id '{record.id}' is already used by {earlier.rel}; ids must be unique across "
                "the project",
            )
            continue
        first_of[record.id] = record
        folded[record.id.casefold()].append(record)
    for group in folded.values():
        for record in group if len(group) > 1 else ():
            others = ", ".join(f"'{r.id}' ({r.rel})" for r in group if r is not record)
            yield record.doc.problem(
                _id_place(record), "error", "id-case-clash",
                f"id '{record.id}' differs from {others} only by case; such ids clash on "
                "case-insensitive file systems (macOS, Windows) and are easily mixed up",
            )


def _id_place(record: Record) -> Path_:
    return ("id",) if _declared_id(record) is not None else ()


# --- references ----------------------------------------------------------------------------


def _references(record: Record, field: str) -> Iterator[tuple[Path_, str]]:
    """(path, id) of every well-formed id in ``field`` of ``record``."""
    value = record.get(field)
    if isinstance(value, str):
        items: list[tuple[Path_, Any]] = [((field,), value)]
    elif isinstance(value, list):
        items = [((field, index), item) for index, item in enumerate(value)]
    else:
        return
    for path, item in items:
        if isinstance(item, str) and _SLUG.match(item) and path not in record.doc.bad_paths:
            yield path, item


def _check_references(project: Project) -> Iterator[Problem]:
    by_id: dict[str, list[Record]] = defaultdict(list)
    for record in project.records:
        by_id[record.id].append(record)
    for record in project.records:
        for (kind, field), target in REFERENCES.items():
            if record.kind != kind or FOLDERS[target] in project.outside:
                continue  # a folder left unread is reported once, not at every reference into it
            for path, ref in _references(record, field):
                found = by_id.get(ref, [])
                if any(other.kind == target for other in found):
                    continue
                if found:
                    other = found[0]
                    yield record.doc.problem(
                        path, "error", "wrong-kind-reference",
                        f"'{ref}' in {field} is {KIND_NAMES[other.kind]} ({other.rel}), not "
                        f"{KIND_NAMES[target]}",
                    )
                    continue
                candidates = [r.id for r in project.records if r.kind == target]
                yield record.doc.problem(
                    path, "error", "unknown-reference",
                    f"'{ref}' in {field} is not {KIND_NAMES[target]} of this project "
                    f"(no {FOLDERS[target]}/{ref}.md){_did_you_mean(ref, candidates)}",
                )


def _did_you_mean(word: str, candidates: list[str]) -> str:
    guess = closest(word, candidates, fold=True)
    return f"; did you mean '{guess}'?" if guess else ""


# --- scores --------------------------------------------------------------------------------


def _criteria_and_scale(project: Project) -> tuple[list[str], int, int] | None:
    settings = project.settings
    if settings is None:
        return None  # tde.yaml's own problems are reported; scores cannot be judged without it
    scoring = settings["scoring"]
    low, high = scoring.get("scale", (1, 5))
    return list(scoring["criteria"]), int(low), int(high)


def _check_scores(project: Project) -> Iterator[Problem]:
    configured = _criteria_and_scale(project)
    if configured is None:
        return
    criteria, low, high = configured
    for record in project.of_kind("usecase"):
        if not record.doc.ok:
            continue
        scores = record.get("scores")
        if scores is None:
            scores = {}
        if isinstance(scores, dict):
            yield from _check_score_values(record, scores, criteria, low, high)
        notes = record.get("score_notes")
        if isinstance(notes, dict):
            for name in notes:
                if isinstance(name, str) and name not in criteria:
                    yield record.doc.problem(
                        ("score_notes", name), "error", "unknown-criterion",
                        f"score note for '{name}', which is not a criterion in tde.yaml"
                        f"{_criteria_hint(name, criteria)}",
                        key=True,
                    )


def _criteria_hint(name: str, criteria: list[str]) -> str:
    return _did_you_mean(name, criteria) or f"; the criteria are {', '.join(criteria)}"


def _check_score_values(
    record: Record, scores: dict[Any, Any], criteria: list[str], low: int, high: int
) -> Iterator[Problem]:
    for name, value in scores.items():
        if not isinstance(name, str):
            continue
        if name not in criteria:
            yield record.doc.problem(
                ("scores", name), "error", "unknown-criterion",
                f"score for '{name}', which is not a criterion in tde.yaml"
                f"{_criteria_hint(name, criteria)}",
                key=True,
            )
            continue
        if isinstance(value, int) and not isinstance(value, bool) and not low <= value <= high:
            yield record.doc.problem(
                ("scores", name), "error", "score-off-scale",
                f"score {value} for '{name}' is off the scale; tde.yaml sets it from {low} to {high}",
            )
    missing = [name for name in criteria if name not in scores]
    if missing:
        where: Path_ = ("scores",) if "scores" in (record.doc.data or {}) else ("id",)
        criterion = "criteria" if len(missing) > 1 else "criterion"
        yield record.doc.problem(
            where, "warning", "missing-score",
            f"no score yet for the {criterion} {', '.join(missing)}", key=True,
        )


# --- workflow --------------------------------------------------------------------------------


def _status(record: Record, field: str = "status") -> str | None:
    value = record.get(field)
    return value if isinstance(value, str) else None


def _check_selection(project: Project) -> Iterator[Problem]:
    usecases = project.of_kind("usecase")
    selected = [r for r in usecases if _status(r) == "selected"]
    if len(selected) > 1:
        for record in selected:
            others = ", ".join(f"'{r.id}'" for r in selected if r is not record)
            yield record.doc.problem(
                ("status",), "error", "several-selected",
                f"more than one use case is selected (also {others}); select one and mark the "
                "others shortlisted ('tde select ID' does both)",
            )
    usecase_ids = {r.id: r for r in usecases}
    for plan in project.of_kind("plan"):
        if _status(plan) == "final":
            continue  # its use case is done (Step 4); tde select has sent it back to shortlisted
        for path, ref in _references(plan, "usecase"):
            usecase = usecase_ids.get(ref)
            if usecase is None:
                continue  # reported as a reference problem
            status = _status(usecase)
            if status == "selected" or status is None:
                continue
            if selected:
                chosen = " and ".join(f"'{r.id}'" for r in selected)
                advice = f"the selected use case is {chosen}"
            else:
                advice = f"no use case is selected yet ('tde select {ref}' selects it)"
            yield plan.doc.problem(
                path, "warning", "plan-not-selected",
                f"this plan is for '{ref}', which is {status}, not selected; {advice}",
            )


def _check_feedback(project: Project) -> Iterator[Problem]:
    open_on: dict[str, list[Record]] = defaultdict(list)
    for item in project.of_kind("feedback"):
        disposition = _status(item, "disposition")
        plans = [ref for _, ref in _references(item, "plan")]
        if disposition == "open":
            for ref in plans:
                open_on[ref].append(item)
        elif disposition in DISPOSITIONS and item.get("response") is None:
            # (a disposition that is not one of the choices is reported as such, and only so)
            yield item.doc.problem(
                ("disposition",), "error", "missing-response",
                f"the disposition is {disposition} but there is no response; say what the team "
                "will do about this feedback (or set the disposition back to open)",
            )
    for plan in project.of_kind("plan"):
        waiting = open_on.get(plan.id)
        if _status(plan) == "final" and waiting:
            listed = ", ".join(f"'{item.id}'" for item in waiting)
            count = f"{len(waiting)} pieces of feedback on it are" if len(waiting) > 1 else (
                "1 piece of feedback on it is"
            )
            yield plan.doc.problem(
                ("status",), "error", "final-with-open-feedback",
                f"the plan is final but {count} still open ({listed}); decide on each and "
                "record the response first",
            )
