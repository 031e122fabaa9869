"""The rules of ``tde validate`` for translated plans: a plan with ``translation_of``.

A translation is a whole plan record in another language (``language``). It must say what the
plan it translates says, so it is held to it: the same use case (an error otherwise) and as
many roles, milestones and activities (a warning each: a translation being written may lag).
It has a language of its own, one tdekit has a catalog for, and translates a plan that is no
translation itself. When git has the source committed after the translation was last
committed, the translation may say what the source no longer does: a warning.

Any plan's ``language`` must be one tdekit has a catalog for (tdekit.i18n).
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from tdekit import i18n
from tdekit.problems import Problem
from tdekit.records.record import Project, Record

__all__ = ["check_translations"]

#: What a translation must have as many of as its source, with the word for each.
COUNTED = {"roles": "roles", "milestones": "milestones", "activities": "activities"}


def check_translations(project: Project) -> Iterator[Problem]:
    """The problems of plans' languages and of translations against their sources."""
    by_id = {r.id: r for r in project.of_kind("plan")}
    for plan in project.of_kind("plan"):
        yield from _language(plan)
        source_id = plan.get("translation_of")
        if not isinstance(source_id, str):
            continue
        source = by_id.get(source_id)
        if source is None:
            continue  # reported as a reference problem (a plan that does not exist)
        yield from _against(project, plan, source)


def _language(plan: Record) -> Iterator[Problem]:
    tag = plan.get("language")
    if ("language",) in plan.doc.bad_paths or tag is None:
        if tag is None and plan.get("translation_of") is not None:
            yield plan.doc.problem(
                ("translation_of",), "error", "translation-without-language",
                "a translation needs its language: add language: with a BCP 47 tag such as es",
                key=True,
            )
        return
    why = i18n.problem(tag)
    if why is not None and isinstance(tag, str):
        yield plan.doc.problem(("language",), "error", "unknown-language", why)


def _against(project: Project, plan: Record, source: Record) -> Iterator[Problem]:
    if source.id == plan.id:
        yield plan.doc.problem(("translation_of",), "error", "translation-of-itself", "a plan cannot translate itself")
        return
    if source.get("translation_of") is not None:
        yield plan.doc.problem(
            ("translation_of",), "error", "translation-of-translation",
            f"'{source.id}' is itself a translation (of '{source.get('translation_of')}'); "
            "translate the plan it translates",
        )
        return
    mine, theirs = plan.get("usecase"), source.get("usecase")
    if isinstance(mine, str) and isinstance(theirs, str) and mine != theirs:
        yield plan.doc.problem(
            ("usecase",), "error", "translation-other-usecase",
            f"this translation is for '{mine}' but '{source.id}', which it translates, is for "
            f"'{theirs}'; a translation is for the same use case",
        )
    default = (project.settings or {}).get("language") or i18n.SOURCE
    if plan.get("language") is not None and plan.get("language") == (source.get("language") or default):
        yield plan.doc.problem(
            ("language",), "warning", "translation-same-language",
            f"this translation is in '{plan.get('language')}', the language of '{source.id}' itself",
        )
    for field, word in COUNTED.items():
        yield from _count(plan, source, field, word)
    yield from _stale(project, plan, source)


def _count(plan: Record, source: Record, field: str, word: str) -> Iterator[Problem]:
    mine, theirs = _length(plan.get(field)), _length(source.get(field))
    if mine is None or theirs is None or mine == theirs:
        return
    path = (field,) if plan.get(field) is not None else ("translation_of",)
    yield plan.doc.problem(
        path, "warning", "translation-differs",
        f"this translation has {mine} {word} but '{source.id}', which it translates, has {theirs}; "
        "a translation says what its source says",
        key=True,
    )


def _length(value: Any) -> int | None:
    if value is None:
        return 0
    return len(value) if isinstance(value, (list, tuple)) else None


def _stale(project: Project, plan: Record, source: Record) -> Iterator[Problem]:
    """A warning when git has the source committed after the translation was last."""
    import datetime as dt

    from tdekit import gitlog

    mine_path, source_path = project.root / plan.rel, project.root / source.rel
    if not gitlog.inside_work_tree(mine_path.parent):
        return
    mine, theirs = gitlog.last_changed(mine_path), gitlog.last_changed(source_path)
    if mine is None or theirs is None or theirs <= mine:
        return

    def day(seconds: int) -> str:
        return dt.datetime.fromtimestamp(seconds, dt.timezone.utc).date().isoformat()

    yield plan.doc.problem(
        ("translation_of",), "warning", "translation-out-of-date",
        f"'{source.id}' was changed ({day(theirs)}) after this translation was last changed "
        f"({day(mine)}); bring the translation up to date with it",
    )
