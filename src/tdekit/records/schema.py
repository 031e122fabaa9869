"""The border: check front-matter values against the models, and say what is wrong where it is.

A record's front matter is checked against its kind's dataclass (:mod:`tdekit.records.models`)
by pydantic, which returns the frozen, typed values; ``tde.yaml`` against the pydantic model of
:mod:`tdekit.records.settings`. Pydantic reports an error as a location
(``('user_stories', 0, 'so_that')``) and a type; the reader knows the line and column of every
location, so each error becomes a located :class:`~tdekit.problems.Problem` with a message a
person can act on.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import functools
import types
import typing
from collections.abc import Callable, Mapping
from typing import Any

from pydantic import BaseModel, ValidationError

from tdekit.problems import Problem
from tdekit.records.bidi import check as check_bidi
from tdekit.records.bidi import is_text
from tdekit.records.frontmatter import Document, Path_
from tdekit.records.kinds import KINDS
from tdekit.records.models import (
    EMAIL_PATTERN,
    FIELDS_TAG,
    HTTPS_PATTERN,
    SLUG_PATTERN,
    TEXT_TAG,
    RecordValues,
)
from tdekit.records.settings import Settings
from tdekit.records.weights import check_some_weight
from tdekit.text import closest


def check_record(doc: Document, kind: str) -> RecordValues | None:
    """Validate ``doc`` as a record of ``kind``; add problems to ``doc``; return its values."""
    model = KINDS[kind].model()
    check_bidi(doc, _prose(model))
    values: RecordValues | None = _check(doc, model, adapter(model).validate_python)
    return values


def check_settings(doc: Document) -> dict[str, Any] | None:
    """Validate ``doc`` as ``tde.yaml``; add problems to ``doc``; return its plain values."""
    check_bidi(doc, _prose(Settings))

    def validate(data: Any) -> dict[str, Any]:
        return Settings.model_validate(data).model_dump(exclude_unset=True)

    settings: dict[str, Any] | None = _check(doc, Settings, validate)
    if settings is None:
        _check_scoring_rules(doc)
    check_some_weight(doc)
    return settings


_ADAPTERS: dict[type[Any], Any] = {}


def adapter(model: type[Any]) -> Any:
    """Pydantic's validator (a ``TypeAdapter``) for a model dataclass, made once."""
    made = _ADAPTERS.get(model)
    if made is None:
        from pydantic import TypeAdapter

        made = _ADAPTERS[model] = TypeAdapter(model)
    return made


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


def _check(doc: Document, model: type[Any], validate: Callable[[Any], Any]) -> Any:
    """What ``validate`` makes of the front matter, or None once its problems are in ``doc``."""
    assert doc.data is not None
    try:
        return validate(doc.data)
    except ValidationError as err:
        # A union reports once per branch it tried; keep one error per place, the clearest.
        chosen: dict[tuple[Path_, bool], Any] = {}
        for error in map(_same_for_dataclasses, err.errors(include_url=False)):
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


#: Error types of a dataclass that mean what a pydantic model's error of the other type means.
_AS_FOR_MODELS = {
    "unexpected_keyword_argument": "extra_forbidden",
    "missing_keyword_only_argument": "missing",
    "dataclass_type": "model_type",
    "dataclass_exact_type": "model_type",
}


def _same_for_dataclasses(error: Any) -> Any:
    kind = _AS_FOR_MODELS.get(error["type"])
    return error if kind is None else {**error, "type": kind}


_DATE_ERRORS = frozenset(
    {"date_type", "date_parsing", "date_from_datetime_parsing", "date_from_datetime_inexact"}
)
_TUPLE_ERRORS = frozenset({"tuple_type", "too_short", "too_long"})


def _guess_field(model: type[Any], loc: Path_) -> str | None:
    """The known field that the unknown field at ``loc`` most likely means."""
    return closest(str(loc[-1]), _fields_at(model, loc[:-1]))


def _misspelt(doc: Document, model: type[Any], loc: Path_, chosen: dict[Any, Any]) -> bool:
    """True when the missing field at ``loc`` is what an unknown field beside it was meant to be."""
    return any(
        error["type"] == "extra_forbidden"
        and other[:-1] == loc[:-1]
        and _guess_field(model, other) == loc[-1]
        for (other, _), error in chosen.items()
    )


def _translate(
    doc: Document,
    model: type[Any],
    loc: Path_,
    error: Any,
    *,
    in_key: bool = False,
    missing: set[Path_] | None = None,
) -> Problem | None:
    """One pydantic error as a located problem, or None where the reader has said it already."""
    if any(loc[: i + 1] in doc.bad_paths for i in range(len(loc))):
        return None  # the reader has already said what is wrong here
    kind = error["type"]
    if in_key:
        return doc.problem(loc, "error", "invalid-name",
                           f"'{loc[-1]}' is not a valid name in {_name(loc[:-1])}: use lower-case "
                           "letters, digits and underscores, starting with a letter", key=True)
    if kind in _TUPLE_ERRORS and _is_list(model, loc):
        kind = "list_type"  # a list of the file, kept as a tuple
    if kind in _TUPLE_ERRORS or (kind == "missing" and isinstance(loc[-1], int)):
        where = loc[:-1] if kind == "missing" else loc
        return doc.problem(where, "error", "wrong-type",
                           f"{_name(where)} must be two whole numbers [lowest, highest], e.g. [1, 5]")
    if kind in ("missing", "extra_forbidden"):
        return _field_problem(doc, model, loc, kind, missing or set())
    value = error.get("input")
    raw = None if isinstance(value, (dict, list)) else _raw_text(doc, loc)
    if kind == "literal_error":
        return _choice_problem(doc, loc, error, value, raw)
    if kind.startswith("string_"):
        problem = _text_problem(doc, loc, kind, error, value, raw)
        if problem is not None:
            return problem
    if value is None and kind != "none_required":
        return doc.problem(loc, "error", "empty-value", f"{_name(loc)} is empty")
    return _type_problem(doc, loc, kind, error, value, raw)


def _field_problem(
    doc: Document, model: type[Any], loc: Path_, kind: str, missing: set[Path_]
) -> Problem:
    """A required field that is missing, or a field the model does not have."""
    if kind == "missing":
        parent = loc[:-1]
        if not parent:
            return doc.problem((), "error", "missing-field",
                               f"missing required field '{loc[-1]}'", key=True)
        return doc.problem(parent, "error", "missing-field",
                           f"missing required field '{loc[-1]}' in {_name(parent)}")
    allowed = _fields_at(model, loc[:-1])
    guess = _guess_field(model, loc)
    if guess is not None and (*loc[:-1], guess) in missing:
        hint = f"; did you mean '{guess}' (a required field, missing here)?"
    elif guess is not None:
        hint = f"; did you mean '{guess}'?"
    elif allowed:
        hint = f"; the fields here are {', '.join(allowed)}"
    else:
        hint = ""
    return doc.problem(loc, "error", "unknown-field", f"unknown field '{loc[-1]}'{hint}", key=True)


def _choice_problem(doc: Document, loc: Path_, error: Any, value: Any, raw: str | None) -> Problem:
    """A value that is not one of the field's choices."""
    field = _name(loc)
    expected = error.get("ctx", {}).get("expected", "")
    choices = [a.strip() for a in expected.replace("'", "").replace(" or ", ", ").split(",")]
    listed = ", ".join(choices)
    if value is None:
        return doc.problem(loc, "error", "empty-value", f"{field} is empty; choose one of: {listed}")
    if not isinstance(value, str):
        return doc.problem(loc, "error", "wrong-type",
                           f"{field} must be one of: {listed}; not {_describe(value, raw)}")
    close = closest(value, choices)
    hint = f" (did you mean '{close}'?)" if close else ""
    return doc.problem(loc, "error", "invalid-choice",
                       f"'{_clip(value)}' is not a valid {field}{hint}; choose one of: {listed}")


def _text_problem(
    doc: Document, loc: Path_, kind: str, error: Any, value: Any, raw: str | None
) -> Problem | None:
    """Text that breaks a rule of its field (a pattern, a length), or that is not text."""
    field = _name(loc)
    if kind == "string_pattern_mismatch":
        pattern = error.get("ctx", {}).get("pattern", "")
        if pattern == SLUG_PATTERN:
            return doc.problem(loc, "error", "invalid-id",
                               f"{field} '{_clip(value)}' is not a valid id: use lower-case letters, "
                               "digits and hyphens, starting with a letter or digit")
        if pattern == r"\S":
            return doc.problem(loc, "error", "empty-value", f"{field} is blank")
        if pattern == HTTPS_PATTERN:
            return doc.problem(loc, "error", "invalid-url",
                               f"{field} must be an https:// address with no spaces, quotes or "
                               f"angle brackets, not '{_clip(value)}'")
        if pattern == EMAIL_PATTERN:
            return doc.problem(loc, "error", "invalid-email",
                               f"{field} must be one e-mail address (name@example.org), not "
                               f"'{_clip(value)}'")
        return doc.problem(loc, "error", "invalid-value", f"'{_clip(value)}' is not allowed as {field}")
    if kind == "string_too_short":
        return doc.problem(loc, "error", "empty-value", f"{field} is empty")
    if kind == "string_too_long":
        return doc.problem(loc, "error", "invalid-value", f"{field} is too long: {error['msg']}")
    if kind == "string_type" and value is not None:
        return doc.problem(loc, "error", "wrong-type", _not_text(field, value, raw))
    return None


def _type_problem(doc: Document, loc: Path_, kind: str, error: Any, value: Any, raw: str | None) -> Problem:
    """A value of the wrong type (a date, a number, a list, a map), or out of its range."""
    field = _name(loc)
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
    ``'[key]'`` for an invalid dictionary key, and TextOrFields's branch tags; those are not
    places in the file and are dropped.
    """
    out: list[str | int] = []
    current = data
    for part in loc:
        if part == "[key]":
            return tuple(out), True
        if part in (TEXT_TAG, FIELDS_TAG):
            continue  # the branch of TextOrFields it tried, not a place in the file
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


def _fields_at(model: type[Any], loc: Path_) -> list[str]:
    """The field names allowed in the mapping at ``loc`` of ``model``."""
    current = _unwrap(_annotation_at(model, loc))
    return list(_fields(current)) if _is_model(current) else []


def _is_list(model: type[Any], loc: Path_) -> bool:
    """True when the value at ``loc`` is a list of any length (a tuple ``tuple[X, ...]``)."""
    args = typing.get_args(_unwrap(_annotation_at(model, loc)))
    return len(args) == 2 and args[1] is Ellipsis


def _annotation_at(model: type[Any], loc: Path_) -> Any:
    """The type of the value at ``loc`` of ``model``, None when there is no such place."""
    current: Any = model
    for part in loc:
        current = _unwrap(current)
        origin = typing.get_origin(current)
        if _is_model(current) and isinstance(part, str):
            current = _fields(current).get(part)
        elif origin in (list, tuple) and isinstance(part, int):
            current = typing.get_args(current)[0]  # list[X], tuple[X, ...] -> X
        elif origin in (dict, Mapping):
            current = typing.get_args(current)[-1]  # dict[K, V] -> V
        else:
            return None
    return current


def expects_list(kind: str, path: tuple[str, ...]) -> bool:
    """True when the field at ``path`` of a record of ``kind`` holds a list."""
    return _is_list(KINDS[kind].model(), path)


def _prose(model: type[Any]) -> Callable[[Path_], bool]:
    """Whether the value at a path of ``model`` is free text (its type is the models' ``Text``).

    A path the model does not know (an unknown field, a list where text belongs) counts as
    text: what is wrong there is reported by the model's checks.
    """

    def prose(path: Path_) -> bool:
        annotation = _annotation_at(model, path)
        return annotation is None or is_text(annotation)

    return prose


def _fields(model: type[Any]) -> dict[str, Any]:
    """Field name -> type (Annotated kept, so that a field's text rule shows), of a pydantic
    model or a model dataclass."""
    hints = _hints(typing.cast(Any, model))
    if dataclasses.is_dataclass(model):
        return {f.name: hints[f.name] for f in dataclasses.fields(model)}
    return {name: hints.get(name, info.annotation) for name, info in model.model_fields.items()}


@functools.cache
def _hints(model: Any) -> dict[str, Any]:
    return typing.get_type_hints(model, include_extras=True)


def _is_model(annotation: Any) -> bool:
    """True when ``annotation`` is a model: a pydantic model class or a model dataclass.

    Python 3.10 counts ``dict[str, X]`` as a type, and issubclass() on it raises with pydantic
    before 2.11: rule out generic aliases first.
    """
    return (
        isinstance(annotation, type)
        and typing.get_origin(annotation) is None
        and (dataclasses.is_dataclass(annotation) or issubclass(annotation, BaseModel))
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
