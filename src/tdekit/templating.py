"""The one Jinja environment: shipped templates, overridable by a project's own ``templates/``.

Templates run sandboxed and strict about undefined names. Record values only ever reach a
template as data, never as template source, so ``{{ }}`` typed into a record stays literal.
When a template fails, :func:`explain` says where (the template's path as its author knows it,
and the line) and what, in one line.
"""

from __future__ import annotations

import dataclasses
import functools
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

from tdekit import i18n
from tdekit.records.scalars import yaml_scalar
from tdekit.text import closest

if TYPE_CHECKING:
    import jinja2

#: How a template error names a shipped template: ``tdekit's render/plan.md.j2``.
SHIPPED = "tdekit's "


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
    from jinja2.sandbox import SandboxedEnvironment

    from tdekit.template_loader import loader

    env = SandboxedEnvironment(
        loader=loader(project_root, shipped_dir("templates"), SHIPPED),
        undefined=_undefined(),
        autoescape=html,
        keep_trailing_newline=True,
        trim_blocks=False,
        extensions=["jinja2.ext.i18n"],
    )
    env.filters["yaml"] = yaml_scalar
    i18n.install(env)
    return env


@functools.cache
def _undefined() -> type[jinja2.StrictUndefined]:
    """StrictUndefined whose message speaks of fields, not of Python objects and attributes."""
    import jinja2
    from jinja2.utils import missing

    class Undefined(jinja2.StrictUndefined):
        __slots__ = ()

        @property
        def _undefined_message(self) -> str:
            if self._undefined_hint or self._undefined_obj is missing:  # "'nope' is undefined"
                return str(super()._undefined_message)
            return missing_field(self._undefined_obj, self._undefined_name)

    return Undefined


def missing_field(owner: Any, name: Any) -> str:
    """``plan has no field 'nope'; did you mean 'note'?``, for a view object a template was given.

    A module whose objects reach templates may name its classes as templates call them in a
    ``TEMPLATE_NAMES`` dict (class name -> name), e.g. ``{"PlanView": "plan"}``.
    """
    cls = type(owner)
    names = getattr(sys.modules.get(cls.__module__), "TEMPLATE_NAMES", {})
    if isinstance(owner, (list, tuple)):
        return f"the list has no item {name!r}"
    if isinstance(owner, dict):
        return f"the mapping has no key {name!r}"
    label = names.get(cls.__name__, f"a {cls.__name__} value")
    if not isinstance(name, str):
        return f"{label} has no item {name!r}"
    hint = ""
    if dataclasses.is_dataclass(owner):
        guess = closest(name, [f.name for f in dataclasses.fields(owner)])
        hint = f"; did you mean '{guess}'?" if guess else ""
    return f"{label} has no field {name!r}{hint}"


def explain(err: BaseException, env: jinja2.Environment, name: str) -> str | None:
    """One line for a template that failed while ``name`` was rendered, or None for a bug of tdekit.

    ``template PATH:LINE: what went wrong``, where PATH is ``templates/...`` for the project's
    own templates and ``tdekit's ...`` for the shipped ones. Errors of Jinja itself (syntax,
    sandbox, undefined names, missing includes) are always explained; any other exception only
    when it came from a project's own template, since a shipped template failing is a bug.
    """
    import jinja2
    from jinja2.exceptions import SecurityError

    path: str | None
    line: int | None
    refused = refusal(err, env)
    if refused is not None:
        return f"template {refused}"
    if isinstance(err, jinja2.TemplateSyntaxError):
        path, line = err.filename, err.lineno
        what = err.message or str(err)
    else:
        path, line = innermost_template(err, env)
        if isinstance(err, SecurityError):
            what = f"refused by the sandbox: {err}"
        elif isinstance(err, jinja2.TemplateNotFound):
            what = f"no template '{err.name}' in the project's templates/ or tdekit's own"
        elif isinstance(err, jinja2.TemplateError):
            what = str(err.message or err)
        elif path is not None and _where(path, env)[1]:
            what = f"{type(err).__name__}: {err}"
        else:
            return None
    shown, _ = _where(path, env) if path else (f"{SHIPPED}{name}", False)
    return f"template {shown}{f':{line}' if line else ''}: {what}"


def refusal(err: BaseException, env: jinja2.Environment) -> str | None:
    """``PATH[:LINE]: why`` for a template file that the loader refused, else None.

    Refused while another template included it, the includer is named with the line of the
    include: ``templates/render/plan.md.j2:3: cannot use templates/render/x.j2: why``.
    """
    from tdekit.template_loader import TemplateRefused

    if not isinstance(err, TemplateRefused):
        return None
    path, line = innermost_template(err, env)
    if path is None:
        return str(err.message)
    return f"{_where(path, env)[0]}:{line}: cannot use {err.message}"


def innermost_template(err: BaseException, env: jinja2.Environment) -> tuple[str | None, int | None]:
    """The file and line of the innermost template frame in ``err``'s traceback.

    Jinja rewrites the traceback of an error raised while rendering so that each template's
    frame carries the template's file name and line.
    """
    folders = [Path(f).resolve() for f in getattr(env.loader, "searchpath", ())]
    found: tuple[str | None, int | None] = (None, None)
    tb = err.__traceback__
    while tb is not None:
        filename = tb.tb_frame.f_code.co_filename
        if any(Path(filename).resolve().is_relative_to(f) for f in folders):
            found = (filename, tb.tb_lineno)
        tb = tb.tb_next
    return found


def is_own(filename: str, env: jinja2.Environment) -> bool:
    """True when the template file ``filename`` is one of the project's own."""
    return _where(filename, env)[1]


def _where(filename: str, env: jinja2.Environment) -> tuple[str, bool]:
    """How to name a template file, and whether it is the project's own (not shipped)."""
    path = Path(filename).resolve()
    shipped = shipped_dir("templates").resolve()
    for folder in getattr(env.loader, "searchpath", ()):
        base = Path(folder).resolve()
        if path.is_relative_to(base):
            rel = path.relative_to(base).as_posix()
            return (f"{SHIPPED}{rel}", False) if base == shipped else (f"{Path(folder).name}/{rel}", True)
    return filename, False
