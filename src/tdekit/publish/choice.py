"""Which plan to render, and whether it may be: the checks before a view is built.

:func:`choose_plan` finds the plan a command names (or the one it means), :func:`check_folders`
and :func:`check_renderable` refuse a plan drawn from files with errors, and
:func:`template_warnings` finds the text left from a template that the plan would show. These
look at files that may have problems, so they read fields with ``Record.get`` (checked values,
else the raw front matter); the view itself is built from checked values only.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any

from tdekit.errors import ProjectError
from tdekit.problems import Problem
from tdekit.publish.consent import showing
from tdekit.records.kinds import KINDS, SETTINGS_FILE
from tdekit.records.record import Project, Record
from tdekit.text import closest

#: How many plans an error lists before it says how many more there are.
SHOWN_PLANS = 5


def choose_plan(project: Project, plan_id: str | None) -> Record:
    """The plan named by ``plan_id`` (an id or a path), else the selected use case's, else the only one.

    Without ``plan_id``, translations (``translation_of``) are not candidates: the plan of the
    selected use case is the one they translate, rendered in another language when named.
    """
    plans = project.of_kind("plan")
    if plan_id is not None:
        wanted = plan_id.removeprefix("./").removeprefix("plans/").removesuffix(".md")
        record = project.by_id().get(wanted)
        if record is None:
            ids = [p.id for p in plans]
            guess = closest(wanted, ids)
            hint = f"; did you mean '{guess}'?" if guess else (f"; the plans are: {_some(ids)}" if ids else "")
            raise ProjectError(f"no plan '{plan_id}' in this project{hint}")
        if record.kind != "plan":
            raise ProjectError(f"'{wanted}' is {KINDS[record.kind].named} ({record.rel}), not a plan")
        return record
    plans = [p for p in plans if not p.get("translation_of")]
    if not plans:
        raise ProjectError("this project has no plan yet; write one with: tde new plan \"TITLE\" --set usecase=ID")
    if len(plans) == 1:
        return plans[0]
    selected = {u.id for u in project.of_kind("usecase") if u.get("status") == "selected"}
    chosen = [p for p in plans if p.get("usecase") in selected]
    if len(chosen) == 1:
        return chosen[0]
    listing = _some([f"{p.id} ({p.get('status', '?')}, for {p.get('usecase', '?')})" for p in plans])
    why = "several plans are for the selected use case" if chosen else "no plan is for a selected use case"
    raise ProjectError(f"{why}; name the plan to render, one of: {listing}")


def _some(items: Sequence[str], shown: int = SHOWN_PLANS) -> str:
    """``a, b, c`` or, past ``shown`` items, ``a, b, c, d, e and 3 more``: one line either way."""
    if len(items) <= shown:
        return ", ".join(items)
    return f"{', '.join(items[:shown])} and {len(items) - shown} more"


def check_folders(project: Project, plan_id: str | None) -> None:
    """Refuse (exit 1) when a record folder is a link out of the project, its records unread.

    A plan draws on every kind of record, so with one folder unread it would say, falsely, that
    there is no feedback, no interview or no persona; better to render nothing.
    """
    errors = [p for p in project.problems if p.severity == "error" and p.path in project.outside]
    if errors:
        raise ProjectError(f"cannot render {plan_id or 'the plan'}: {_fix_first(errors)}")


def check_renderable(project: Project, plan: Record, problems: Sequence[Problem] | None = None) -> None:
    """Refuse (exit 1) when the plan or a file it draws on has errors: one line, the first of them.

    ``problems`` are those of ``tde validate`` when the caller has them already.
    """
    check_files(project, files_of(project, plan), plan.id, problems)


def check_files(project: Project, files: set[str], what: str, problems: Sequence[Problem] | None = None) -> None:
    """Refuse (exit 1) to render ``what`` when one of ``files`` has errors: one line, the first."""
    if problems is None:
        from tdekit.validate import validate_project

        problems = validate_project(project)
    errors = [p for p in problems if p.severity == "error" and p.path in files]
    if errors:
        raise ProjectError(f"cannot render {what}: {_fix_first(errors)}")


def template_warnings(project: Project, plan_id: str) -> list[Problem]:
    """The ``template-text`` warnings of what the plan shows: tde.yaml, the fields of the files
    it draws on, and the bodies it prints (the plan's and the feedback's). Private records,
    which it never shows, are left out. ``tde render plan`` prints them, and renders."""
    from tdekit.records.template_text import CODE

    files = files_of(project, project.by_id()[plan_id])
    shown: dict[str, float] = {SETTINGS_FILE: math.inf}  # path -> the first line not shown
    for record in project.records:
        if record.rel in files and showing(record).counted:
            shown[record.rel] = math.inf if record.kind in ("plan", "feedback") else record.doc.body_line
    found = [p for p in project.problems if p.code == CODE and (p.line or 0) < shown.get(p.path, 0)]
    return sorted(found, key=Problem.sort_key)


def _fix_first(errors: Sequence[Problem]) -> str:
    """``FILES has N errors; fix them first ...; the first: PROBLEM``: why a plan is not rendered."""
    paths = sorted({p.path for p in errors})
    files, first = _some(paths), errors[0].format()
    if len(errors) == 1:
        return f"{files} has an error; fix it first ('tde validate' shows it too): {first}"
    verb = "has" if len(paths) == 1 else "have"
    return f"{files} {verb} {len(errors)} errors; fix them first ('tde validate' lists them all); the first: {first}"


def files_of(project: Project, plan: Record) -> set[str]:
    """The files a rendered plan draws on: its use case, personas, interviews and feedback."""
    by_id = project.by_id()
    files = {SETTINGS_FILE, plan.rel}
    usecase = by_id.get(str(plan.get("usecase")))
    persona_ids = _texts(plan.get("audience"))
    if usecase is not None:
        files.add(usecase.rel)
        persona_ids += _texts(usecase.get("personas"))
        for interview in backing(project, usecase):
            files.add(interview.rel)
    for persona_id in persona_ids:
        if persona_id in by_id:
            files.add(by_id[persona_id].rel)
    for feedback in project.of_kind("feedback"):
        about = feedback.get("plan")
        if about == plan.id or not isinstance(about, str):
            files.add(feedback.rel)
    return files


def _texts(value: Any) -> list[str]:
    if isinstance(value, list):
        return [str(v) for v in value if isinstance(v, (str, int, float))]
    return []


def backing(project: Project, usecase: Record) -> list[Record]:
    """Every interview the use case lists as evidence or that lists the use case."""
    listed = set(_texts(usecase.get("evidence")))
    return [
        i for i in project.of_kind("interview")
        if i.id in listed or usecase.id in _texts(i.get("usecases"))
    ]
