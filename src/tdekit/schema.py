"""Check front-matter values against the models, and say what is wrong where it is wrong.

Pydantic reports an error as a location (``('user_stories', 0, 'so_that')``) and a type; the
reader knows the line and column of every location, so each error becomes a located
:class:`~tdekit.problems.Problem` with a message a person can act on.
"""

from __future__ import annotations

import datetime as dt
import difflib
import functools
import json
import types
import typing
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ValidationError

from tdekit import bidi
from tdekit.errors import RefusedWrite, UsageError
from tdekit.frontmatter import Document, Path_
from tdekit.fsio import write_file
from tdekit.kinds import SETTINGS_FILE, kind_for
from tdekit.models import MODELS, SLUG_PATTERN, Settings
from tdekit.problems import Problem
from tdekit.weights import ALL_ZERO_CODE, weight_problem, weights_problem


def check_record(doc: Document, kind: str) -> dict[str, Any] | None:
    """Validate ``doc`` as a record of ``kind``; add problems to ``doc``; return its plain values."""
    bidi.check(doc, functools.partial(bidi.is_prose, MODELS[kind]))
    return _check(doc, MODELS[kind])


def check_settings(doc: Document) -> dict[str, Any] | None:
    """Validate ``doc`` as ``tde.yaml``; add problems to ``doc``; return its plain values."""
    bidi.check(doc, functools.partial(bidi.is_prose, Settings))
    settings = _check(doc, Settings)
    if settings is None:
        _check_scoring_rules(doc)
    _check_some_weight(doc)
    return settings


def _check_some_weight(doc: Document) -> None:
    """At least one criterion must carry weight (:mod:`tdekit.weights`): an error at the
    criteria, while the settings stay usable for ``tde score --weight``."""
    scoring = (doc.data or {}).get("scoring")
    criteria = scoring.get("criteria") if isinstance(scoring, dict) else None
    if not isinstance(criteria, dict) or not criteria:
        return
    weights = [c.get("weight") if isinstance(c, dict) else None for c in criteria.values()]
    if any(weight_problem(w) is not None for w in weights):
        return  # each bad weight is reported at its own line
    problem = weights_problem(weights)
    if problem is not None:
        doc.problems.append(doc.problem(("scoring", "criteria"), "error", ALL_ZERO_CODE, problem, key=True))


def _check_scoring_rules(doc: Document) -> None:
    """The scoring rules that pydantic checks only once every field is valid, checked alone,
    so that one run reports a falling scale beside, say, a misspelt field."""
    scoring = (doc.data or {}).get("scoring")
    if not isinstance(scoring, dict):
        return
    said = {p.message for p in doc.problems}
    scale = scoring.get("scale")
    if (
        isinstance(scale, list)
        and len(scale) == 2
        and all(type(v) is int for v in scale)
        and scale[0] >= scale[1]
    ):
        message = (f"the scale must rise: [{scale[0]}, {scale[1]}] has its lowest score not "
                   "below its highest")
        if message not in said:
            doc.problems.append(doc.problem(("scoring", "scale"), "error", "invalid-value", message))
    if scoring.get("criteria") == {} and "at least one criterion is needed" not in said:
        doc.problems.append(doc.problem(("scoring", "criteria"), "error", "invalid-value",
                                        "at least one criterion is needed"))


def _check(doc: Document, model: type[BaseModel]) -> dict[str, Any] | None:
    assert doc.data is not None
    try:
        instance = model.model_validate(doc.data)
    except ValidationError as err:
        # A union reports once per branch it tried; keep one error per place, the clearest.
        chosen: dict[tuple[Path_, bool], Any] = {}
        for error in err.errors(include_url=False):
            place = _data_loc(doc.data, error["loc"])
            earlier = chosen.get(place)
            if earlier is None or (
                error["type"] == "string_type" and earlier["type"] != "string_type"
            ):
                chosen[place] = error
        # A misspelt field is reported once, at the misspelling, not again as missing.
        missing = {loc for (loc, _), error in chosen.items() if error["type"] == "missing"}
        for (loc, in_key), error in chosen.items():
            if error["type"] == "missing" and _misspelt(doc, model, loc, chosen):
                continue
            problem = _translate(doc, model, loc, error, in_key=in_key, missing=missing)
            if problem is not None:
                doc.problems.append(problem)
        return None
    return instance.model_dump(exclude_unset=True)


_DATE_ERRORS = frozenset(
    {"date_type", "date_parsing", "date_from_datetime_parsing", "date_from_datetime_inexact"}
)
_TUPLE_ERRORS = frozenset({"tuple_type", "too_short", "too_long"})


def _guess_field(model: type[BaseModel], loc: Path_) -> str | None:
    """The known field that the unknown field at ``loc`` most likely means."""
    guess = difflib.get_close_matches(str(loc[-1]), _fields_at(model, loc[:-1]), n=1, cutoff=0.6)
    return guess[0] if guess else None


def _misspelt(doc: Document, model: type[BaseModel], loc: Path_, chosen: dict[Any, Any]) -> bool:
    """True when the missing field at ``loc`` is what an unknown field beside it was meant to be."""
    return any(
        error["type"] == "extra_forbidden"
        and other[:-1] == loc[:-1]
        and _guess_field(model, other) == loc[-1]
        for (other, _), error in chosen.items()
    )


def _translate(
    doc: Document,
    model: type[BaseModel],
    loc: Path_,
    error: Any,
    *,
    in_key: bool = False,
    missing: set[Path_] | None = None,
) -> Problem | None:
    if any(loc[: i + 1] in doc.bad_paths for i in range(len(loc))):
        return None  # the reader has already said what is wrong here
    kind = error["type"]
    field = _name(loc)
    value = error.get("input")
    raw = None if isinstance(value, (dict, list)) else _raw_text(doc, loc)

    if in_key:
        return doc.problem(loc, "error", "invalid-name",
                           f"'{loc[-1]}' is not a valid name in {_name(loc[:-1])}: use lower-case "
                           "letters, digits and underscores, starting with a letter", key=True)
    if kind in _TUPLE_ERRORS or (kind == "missing" and isinstance(loc[-1], int)):
        where = loc[:-1] if kind == "missing" else loc
        return doc.problem(where, "error", "wrong-type",
                           f"{_name(where)} must be two whole numbers [lowest, highest], e.g. [1, 5]")
    if kind == "missing":
        parent = loc[:-1]
        if not parent:
            return doc.problem((), "error", "missing-field",
                               f"missing required field '{loc[-1]}'", key=True)
        return doc.problem(parent, "error", "missing-field",
                           f"missing required field '{loc[-1]}' in {_name(parent)}")
    if kind == "extra_forbidden":
        allowed = _fields_at(model, loc[:-1])
        guess = _guess_field(model, loc)
        if guess is not None and (*loc[:-1], guess) in (missing or set()):
            hint = f"; did you mean '{guess}' (a required field, missing here)?"
        elif guess is not None:
            hint = f"; did you mean '{guess}'?"
        elif allowed:
            hint = f"; the fields here are {', '.join(allowed)}"
        else:
            hint = ""
        return doc.problem(loc, "error", "unknown-field", f"unknown field '{loc[-1]}'{hint}", key=True)
    if kind == "literal_error":
        expected = error.get("ctx", {}).get("expected", "")
        choices = [a.strip() for a in expected.replace("'", "").replace(" or ", ", ").split(",")]
        listed = ", ".join(choices)
        if value is None:
            return doc.problem(loc, "error", "empty-value", f"{field} is empty; choose one of: {listed}")
        if not isinstance(value, str):
            return doc.problem(loc, "error", "wrong-type",
                               f"{field} must be one of: {listed}; not {_describe(value, raw)}")
        close = difflib.get_close_matches(value, choices, n=1)
        hint = f" (did you mean '{close[0]}'?)" if close else ""
        return doc.problem(loc, "error", "invalid-choice",
                           f"'{_clip(value)}' is not a valid {field}{hint}; choose one of: {listed}")
    if kind == "string_pattern_mismatch":
        pattern = error.get("ctx", {}).get("pattern", "")
        if pattern == SLUG_PATTERN:
            return doc.problem(loc, "error", "invalid-id",
                               f"{field} '{_clip(value)}' is not a valid id: use lower-case letters, "
                               "digits and hyphens, starting with a letter or digit")
        if pattern == r"\S":
            return doc.problem(loc, "error", "empty-value", f"{field} is blank")
        return doc.problem(loc, "error", "invalid-value", f"'{_clip(value)}' is not allowed as {field}")
    if kind == "string_too_short":
        return doc.problem(loc, "error", "empty-value", f"{field} is empty")
    if kind == "string_too_long":
        return doc.problem(loc, "error", "invalid-value", f"{field} is too long: {error['msg']}")
    if value is None and kind != "none_required":
        return doc.problem(loc, "error", "empty-value", f"{field} is empty")
    if kind == "string_type":
        return doc.problem(loc, "error", "wrong-type", _not_text(field, value, raw))
    if kind in _DATE_ERRORS:
        return doc.problem(loc, "error", "invalid-date",
                           f"{field} must be a date written YYYY-MM-DD, not {_describe(value, raw)}")
    if kind in ("int_type", "int_parsing", "int_from_float"):
        return doc.problem(loc, "error", "wrong-type",
                           f"{field} must be a whole number, not {_describe(value, raw)}")
    if kind in ("float_type", "float_parsing"):
        return doc.problem(loc, "error", "wrong-type",
                           f"{field} must be a number, not {_describe(value, raw)}")
    if kind == "list_type":
        return doc.problem(loc, "error", "wrong-type",
                           f"{field} must be a list (one '- item' per line), not {_describe(value, raw)}")
    if kind in ("dict_type", "model_type", "model_attributes_type"):
        return doc.problem(loc, "error", "wrong-type",
                           f"{field} must be a set of 'name: value' fields, not {_describe(value, raw)}")
    if kind == "greater_than_equal":
        return doc.problem(loc, "error", "out-of-range", f"{field} must not be negative")
    if kind == "value_error":
        message = str(error["msg"]).removeprefix("Value error, ")
        return doc.problem(loc, "error", "invalid-value", message)
    return doc.problem(loc, "error", "invalid-value", f"{field}: {error['msg']}")


def _data_loc(data: Any, loc: tuple[Any, ...]) -> tuple[Path_, bool]:
    """The part of a pydantic location that names places in the data, and whether it is a key.

    Pydantic appends the union branch it tried (``'date'``, ``'constrained-str'``) and
    ``'[key]'`` for an invalid dictionary key; those are not places in the file and are dropped.
    """
    out: list[str | int] = []
    current = data
    for part in loc:
        if part == "[key]":
            return tuple(out), True
        if isinstance(current, dict) and isinstance(part, str):
            out.append(part)
            current = current.get(part)
        elif isinstance(current, list) and isinstance(part, int):
            out.append(part)
            current = current[part] if part < len(current) else None
        else:
            break
    return tuple(out), False


def _name(loc: Path_) -> str:
    parts = [f"[{p}]" if isinstance(p, int) else str(p) for p in loc]
    return ".".join(parts).replace(".[", "[") or "front matter"


def _raw_text(doc: Document, loc: Path_) -> str | None:
    span = doc.value_spans.get(loc)
    if span is None or span.line != span.end_line:
        return None
    lines = doc.text.splitlines()
    if not 0 < span.line <= len(lines):
        return None
    line = lines[span.line - 1]
    return line[span.column - 1 : span.end_column - 1]


def _clip(text: object, limit: int = 60) -> str:
    shown = str(text)
    return shown if len(shown) <= limit else shown[: limit - 3] + "..."


def _describe(value: object, raw: str | None) -> str:
    """How a wrong value reads in a message: as typed where possible."""
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "a set of fields"
    if isinstance(value, bool):
        return f"true/false ({_clip(raw) if raw else str(value).lower()})"
    if isinstance(value, str):
        return f"the text {_clip(raw) if raw else repr(_clip(value))}"
    if isinstance(value, (dt.date, dt.datetime)):
        return f"a date ({value.isoformat()})"
    return _clip(raw) if raw else _clip(repr(value))


def _not_text(field: str, value: object, raw: str | None) -> str:
    if value is None:
        return f"{field} is empty"
    if isinstance(value, bool):
        read = "true/false"
    elif isinstance(value, (int, float)):
        read = "a number"
    elif isinstance(value, (dt.date, dt.datetime)):
        read = "a date"
    elif isinstance(value, list):
        return f"{field} must be text, not a list"
    elif isinstance(value, dict):
        return f"{field} must be text, not a set of fields"
    else:
        read = type(value).__name__
    shown = _clip(raw if raw is not None else str(value))
    read_as = value.isoformat() if isinstance(value, (dt.date, dt.datetime)) else repr(value)
    detail = f" ({_clip(read_as)})" if read_as != shown and not isinstance(value, bool) else ""
    return f"{field} must be text, but YAML read {shown} as {read}{detail}; quote it: \"{shown}\""


def _fields_at(model: type[BaseModel], loc: Path_) -> list[str]:
    """The field names allowed in the mapping at ``loc`` of ``model``."""
    current: Any = model
    for part in loc:
        current = _unwrap(current)
        if _is_model(current) and isinstance(part, str):
            info = current.model_fields.get(part)
            if info is None:
                return []
            current = info.annotation
        elif isinstance(part, int) or typing.get_origin(current) is dict:
            args = typing.get_args(current)  # list[X] -> X; dict[K, V] -> V
            current = args[-1] if args else None
        else:
            return []
    current = _unwrap(current)
    if _is_model(current):
        return list(current.model_fields)
    return []


def expects_list(kind: str, path: tuple[str, ...]) -> bool:
    """True when the field at ``path`` of a record of ``kind`` holds a list."""
    current: Any = MODELS[kind]
    for part in path:
        current = _unwrap(current)
        fields = current.model_fields if _is_model(current) else {}
        if part not in fields:
            return False
        current = fields[part].annotation
    return typing.get_origin(_unwrap(current)) is list


def _is_model(annotation: Any) -> typing.TypeGuard[type[BaseModel]]:
    """True when ``annotation`` is a pydantic model class.

    Python 3.10 counts ``dict[str, X]`` as a type, and issubclass() on it raises with pydantic
    before 2.11: rule out generic aliases first.
    """
    return (
        isinstance(annotation, type)
        and typing.get_origin(annotation) is None
        and issubclass(annotation, BaseModel)
    )


def _unwrap(annotation: Any) -> Any:
    """Strip Optional, Annotated and unions down to the model or container inside."""
    while True:
        origin = typing.get_origin(annotation)
        if origin is typing.Annotated:
            annotation = typing.get_args(annotation)[0]
        elif origin in (typing.Union, types.UnionType):
            candidates = [a for a in typing.get_args(annotation) if a is not type(None)]
            models = [a for a in candidates if _is_model(a)]
            annotation = models[0] if models else candidates[0]
        else:
            return annotation


# --- JSON Schema, for editors and other tools -----------------------------------------------

#: The names ``tde schema`` knows: the five kinds, then ``settings`` for ``tde.yaml``.
SCHEMA_NAMES: tuple[str, ...] = (*MODELS, "settings")

_DIALECT = "https://json-schema.org/draft/2020-12/schema"


def schema_names(name: str | None) -> list[str]:
    """The schemas ``name`` asks for: one kind (any spelling), ``settings``, or all when None."""
    if name is None:
        return list(SCHEMA_NAMES)
    if name.strip().lower() in ("settings", SETTINGS_FILE):
        return ["settings"]
    kind = kind_for(name)
    if kind is None:
        raise UsageError(f"unknown kind '{name}'; choose one of: {', '.join(SCHEMA_NAMES)}")
    return [kind]


def json_schemas(name: str | None) -> dict[str, dict[str, Any]]:
    """Name -> JSON Schema for what ``name`` asks for (see :func:`schema_names`)."""
    return {each: json_schema(each) for each in schema_names(name)}


def write_schemas(schemas: dict[str, dict[str, Any]], folder: Path, *, force: bool) -> list[Path]:
    """Write ``folder/<name>.schema.json`` for each schema; return the paths written.

    Existing files are only replaced with ``force``; without it nothing is written when any
    of them exists, so a refused run leaves the folder as it was.
    """
    if folder.exists() and not folder.is_dir():
        raise UsageError(f"{folder} is not a folder")
    targets = {folder / f"{name}.schema.json": schema for name, schema in schemas.items()}
    if not force:
        existing = [str(path) for path in targets if path.exists() or path.is_symlink()]
        if existing:
            raise RefusedWrite(
                f"{', '.join(existing)} already exist{'s' if len(existing) == 1 else ''}; "
                "pass --force to replace"
            )
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as err:
        raise RefusedWrite(f"cannot create {folder}: {err.strerror}") from None
    for path, schema in targets.items():
        data = json.dumps(schema, indent=2, ensure_ascii=False) + "\n"
        write_file(path, data.encode("utf-8"), overwrite=force)
    return list(targets)


def json_schema(name: str) -> dict[str, Any]:
    """The JSON Schema of a record kind (or of ``tde.yaml`` for ``settings``).

    It is pydantic's schema of the model, made strict where pydantic leaves it loose: maps
    with constrained keys refuse other keys, and a lower bound on a union becomes ``minimum``.
    """
    model: type[BaseModel] = Settings if name == "settings" else MODELS[name]
    schema = _tighten(model.model_json_schema())
    if name == "settings":
        title = "tde.yaml"
        description = "The settings of a tde project: its name, organization, focus area and scoring."
    else:
        title = f"tde {name} record"
        description = str(schema.get("description", "")).replace("``", "`")
    return {"$schema": _DIALECT, "title": title, "description": description, **_without(schema)}


def _without(schema: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in schema.items() if k not in ("title", "description")}


def _tighten(node: Any) -> Any:
    if isinstance(node, list):
        return [_tighten(item) for item in node]
    if not isinstance(node, dict):
        return node
    out = {key: _tighten(value) for key, value in node.items()}
    if "ge" in out:  # pydantic leaves Field(ge=...) on a union as a stray, non-standard keyword
        out["minimum"] = out.pop("ge")
    if "patternProperties" in out and "additionalProperties" not in out:
        out["additionalProperties"] = False
    return out
