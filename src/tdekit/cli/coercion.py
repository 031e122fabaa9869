"""Command-line words made into values without pydantic, whichever typer is installed.

From 0.29 typer converts every parameter of the command that runs, given or not, through a
pydantic ``TypeAdapter`` that it builds on first use, so every command would import pydantic:
about 80 ms a run, two thirds of what a warm ``tde validate`` takes otherwise. tde's
parameters are plain (text, paths, whole numbers, flags and lists of them), so :func:`prime`
gives each one a converter of its own before typer builds its adapter. Error messages are
click's, as typer 0.28 and earlier print them.

Typer before 0.29 converts with click's types and has no such slot: :func:`prime` leaves it
alone. A parameter of any other type keeps typer's own conversion.
"""

from __future__ import annotations

import os
import stat
from collections.abc import Callable
from pathlib import Path
from typing import Any, get_args, get_origin

#: A converter: (value, parameter, context) -> the value the command receives.
Convert = Callable[[Any, Any, Any], Any]


def prime(command: Any, ctx: Any) -> None:
    """Give the parameters of ``command``, and of the commands under it, tde's converters.

    ``ctx`` is the context ``command`` is parsed in; the commands under it inherit its help
    option names, which make their ``--help`` parameter (also converted on each run).
    """
    from typer import core

    if not hasattr(getattr(core, "_TyperParameter", None), "get_runtime_param"):
        return  # before 0.29: click's types convert, without pydantic
    for param in command.get_params(ctx):
        # typer keeps the converter it builds on first use here; one that is set stays.
        if getattr(param, "_runtime_param", False) is not None:
            continue
        descriptor: Any = getattr(param, "type_descriptor", None)
        convert = _converter(descriptor) if descriptor is not None else None
        if convert is not None:
            param._runtime_param = Plain(convert, _is_list(descriptor.annotation))
    for sub in getattr(command, "commands", {}).values():
        prime(sub, ctx)


class Plain:
    """What typer 0.29 asks of a parameter's converter: ``coerce(value, param=, ctx=)``."""

    def __init__(self, convert: Convert, is_list: bool) -> None:
        self.convert = convert
        self.is_list = is_list

    def coerce(self, value: Any, param: Any, ctx: Any) -> Any:
        from typer import BadParameter

        many = param.multiple or param.nargs == -1
        if value is None:
            return () if many else None
        if many and isinstance(value, str):
            raise BadParameter("Value must be an iterable.", ctx=ctx, param=param)
        if self.is_list:
            items = value if isinstance(value, (list, tuple)) else [value]
            return [self.convert(item, param, ctx) for item in items]
        return self.convert(value, param, ctx)


def _converter(descriptor: Any) -> Convert | None:
    annotation = descriptor.annotation
    info = descriptor.parameter_info
    if _is_list(annotation):
        (annotation,) = get_args(annotation) or (None,)
    if getattr(info, "parser", None) is not None or getattr(info, "click_type", None) is not None:
        return None
    if annotation is str:
        return _text
    if annotation is bool:
        return _flag
    if annotation is int:
        low, high = getattr(info, "min", None), getattr(info, "max", None)
        if getattr(info, "clamp", False):
            return None
        return lambda value, param, ctx: _whole(value, param, ctx, low, high)
    if annotation is Path and getattr(info, "path_type", None) in (None, Path):
        return lambda value, param, ctx: _path(value, param, ctx, info)
    return None


def _is_list(annotation: Any) -> bool:
    origin: Any = get_origin(annotation)
    return origin is list


def _text(value: Any, param: Any, ctx: Any) -> str:
    return value.decode(errors="replace") if isinstance(value, bytes) else str(value)


_TRUE = {"1", "true", "t", "yes", "y", "on"}
_FALSE = {"0", "false", "f", "no", "n", "off", ""}


def _flag(value: Any, param: Any, ctx: Any) -> bool:
    if isinstance(value, bool):
        return value
    word = str(value).strip().lower()
    if word in _TRUE or word in _FALSE:
        return word in _TRUE
    from typer import BadParameter

    raise BadParameter(f"{value!r} is not a valid boolean.", ctx=ctx, param=param)


def _whole(value: Any, param: Any, ctx: Any, low: Any, high: Any) -> int:
    from typer import BadParameter

    try:
        number = value if isinstance(value, int) and not isinstance(value, bool) else int(str(value).strip())
    except ValueError:
        name = "integer" if low is None and high is None else "int range"
        raise BadParameter(f"{value!r} is not a valid {name}.", ctx=ctx, param=param) from None
    if (low is not None and number < low) or (high is not None and number > high):
        bounds = (
            f"{low}<=x<={high}" if low is not None and high is not None
            else f"x>={low}" if low is not None else f"x<={high}"
        )
        raise BadParameter(f"{number} is not in the range {bounds}.", ctx=ctx, param=param)
    return number


def _path(value: Any, param: Any, ctx: Any, info: Any) -> Path:
    """A path, checked as click's ``Path`` type checks it (tde uses ``file_okay=False``)."""
    from typer import BadParameter

    path = Path(os.fsdecode(value)) if not isinstance(value, Path) else value
    if getattr(info, "allow_dash", False) and str(value) == "-":
        return path
    if getattr(info, "resolve_path", False):
        path = Path(os.path.realpath(path))
    file_okay, dir_okay = getattr(info, "file_okay", True), getattr(info, "dir_okay", True)
    label = "File" if file_okay and not dir_okay else "Directory" if dir_okay and not file_okay else "Path"
    shown = repr(os.fsdecode(value))
    try:
        mode = path.stat().st_mode
    except OSError:
        if getattr(info, "exists", False):
            raise BadParameter(f"{label} {shown} does not exist.", ctx=ctx, param=param) from None
        return path
    if not file_okay and stat.S_ISREG(mode):
        raise BadParameter(f"{label} {shown} is a file.", ctx=ctx, param=param)
    if not dir_okay and stat.S_ISDIR(mode):
        raise BadParameter(f"{label} {shown} is a directory.", ctx=ctx, param=param)
    if getattr(info, "readable", False) and not os.access(path, os.R_OK):
        raise BadParameter(f"{label} {shown} is not readable.", ctx=ctx, param=param)
    if getattr(info, "writable", False) and not os.access(path, os.W_OK):
        raise BadParameter(f"{label} {shown} is not writable.", ctx=ctx, param=param)
    return path
