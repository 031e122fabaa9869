"""The parts of the Python API that are more than one core function (see :mod:`tdekit`)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from tdekit.records.record import Project


def open_project(path: str | Path | None = None) -> Project:
    """The project at ``path``, or at the nearest folder above it with a ``tde.yaml`` (the
    current folder when None), loaded as ``tde`` loads it: cache included."""
    from tdekit.records.project import find_root, load_project

    start = Path.cwd() if path is None else Path(path)
    return load_project(find_root(start=start))


def render_plan(
    project: Project,
    plan: str | None = None,
    *,
    fmt: str = "md",
    today: dt.date | None = None,
    lang: str | None = None,
) -> str | bytes:
    """The circulated plan as ``tde render plan`` makes it: ``md`` or ``html`` text, or the bytes
    of a ``pdf`` or ``docx`` file, checked by the output gate and the redaction check.

    ``plan`` is a plan's id (default: the selected use case's plan, or the only one); ``today``
    is the date printed as generated (default: today, or that of ``SOURCE_DATE_EPOCH``);
    ``lang`` the language of its fixed words, as ``--lang`` takes it (default: a translated
    plan's own, else ``tde.yaml``'s ``language``, else English).
    Raises :class:`~tdekit.errors.ProjectError` when the plan or a file it draws on has errors,
    or when the finished plan is unsafe or holds what consent withholds, and
    :class:`~tdekit.errors.MissingTool` when no browser (pdf) or python-docx (docx) is there.
    """
    from tdekit import i18n
    from tdekit.publish import building, formats

    formats.get(fmt)
    with i18n.use(building.language_of(project, plan, lang)):
        view = building.build_plan_view(project, plan, today=today)
        return formats.render(project, view, fmt)
