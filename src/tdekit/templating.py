"""The one Jinja environment: shipped templates, overridable by a project's own ``templates/``.

Templates run sandboxed and strict about undefined names. Record values only ever reach a
template as data, never as template source, so ``{{ }}`` typed into a record stays literal.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from tdekit.frontmatter import yaml_scalar

if TYPE_CHECKING:
    import jinja2


def shipped_dir(name: str) -> Path:
    """A folder shipped with tdekit (``templates`` or ``examples``).

    Installed, it sits inside the package; run from a source checkout, at the top level.
    """
    here = Path(__file__).resolve().parent
    for candidate in (here / name, here.parent.parent / name):
        if candidate.is_dir():
            return candidate
    raise FileNotFoundError(f"tdekit's {name} folder is missing from this installation")


def environment(project_root: Path | None = None, *, html: bool = False) -> jinja2.Environment:
    """The Jinja environment for records and renders, with the project's overrides first."""
    import jinja2
    from jinja2.sandbox import SandboxedEnvironment

    folders = []
    if project_root is not None and (project_root / "templates").is_dir():
        folders.append(str(project_root / "templates"))
    folders.append(str(shipped_dir("templates")))
    env = SandboxedEnvironment(
        loader=jinja2.FileSystemLoader(folders),
        undefined=jinja2.StrictUndefined,
        autoescape=html,
        keep_trailing_newline=True,
        trim_blocks=False,
    )
    env.filters["yaml"] = yaml_scalar
    return env
