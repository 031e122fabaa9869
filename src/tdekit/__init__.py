"""tdekit: Tactical Data Engagement kept as a folder of Markdown files.

The public Python API is small on purpose, and the command line (``tde``) is built on it::

    import tdekit

    project = tdekit.open_project("path/to/project")   # or load_project(root)
    problems = tdekit.validate_project(project)        # what tde validate reports
    ranking = tdekit.score_usecases(project)           # what tde score ranks
    holds = tdekit.check_robustness(ranking).holds     # and whether the top holds
    text = tdekit.render_plan(project, fmt="html")     # what tde render plan writes

    raw = tdekit.write_record("update", {"id": "route-4", "title": "Route 4", "plan": "p"})
    raw = tdekit.set_fields(raw, {"channel": "website"})

A record's checked values are typed (``record.values``, an instance of its kind's class in
:mod:`tdekit.records.models`); the kinds themselves are :data:`KINDS`. Every error meant for a
person is a :class:`TdeError` with a message and an exit code.

Nothing is imported until it is first used, so ``import tdekit`` stays quick.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"

#: Each name of the API -> the module it comes from.
_API = {
    "KINDS": "tdekit.records.kinds",
    "KindSpec": "tdekit.records.kinds",
    "Problem": "tdekit.problems",
    "Project": "tdekit.records.record",
    "Record": "tdekit.records.record",
    "TdeError": "tdekit.errors",
    "UseCaseScore": "tdekit.scoring",
    "check_robustness": "tdekit.scoring",
    "find_root": "tdekit.records.project",
    "load_project": "tdekit.records.project",
    "open_project": "tdekit.api",
    "render_plan": "tdekit.api",
    "score_usecases": "tdekit.scoring",
    "set_fields": "tdekit.records.writing",
    "validate_project": "tdekit.validate",
    "write_record": "tdekit.scaffold",
}

__all__ = [
    "KINDS", "KindSpec", "Problem", "Project", "Record", "TdeError", "UseCaseScore", "__version__",
    "check_robustness", "find_root", "load_project", "open_project", "render_plan",
    "score_usecases", "set_fields", "validate_project", "write_record",
]

if TYPE_CHECKING:
    from tdekit.api import open_project, render_plan
    from tdekit.errors import TdeError
    from tdekit.problems import Problem
    from tdekit.records.kinds import KINDS, KindSpec
    from tdekit.records.project import find_root, load_project
    from tdekit.records.record import Project, Record
    from tdekit.records.writing import set_fields
    from tdekit.scaffold import write_record
    from tdekit.scoring import UseCaseScore, check_robustness, score_usecases
    from tdekit.validate import validate_project


def __getattr__(name: str) -> Any:
    """Import a name of the API when it is first asked for."""
    module = _API.get(name)
    if module is None:
        raise AttributeError(f"module 'tdekit' has no attribute {name!r}")
    value = getattr(importlib.import_module(module), name)
    globals()[name] = value
    return value
