"""Typed record values to plain data and back, without pydantic.

A record's checked values are an instance of its kind's class in :mod:`tdekit.records.models`.
The cache keeps them as plain data (dicts, lists, text, numbers, dates: what its restricted
unpickler may read) and :func:`build` makes the instance again from that data, with no check
(the data was checked when it was first read) and without importing pydantic. :func:`plain`
is the other way: the values as plain data, with only the fields the file itself sets.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import types
import typing
from collections.abc import Callable, Mapping
from typing import Any, TypeVar

V = TypeVar("V")

_Convert = Callable[[Any], Any]


def build(cls: type[V], data: Mapping[str, Any]) -> V:
    """The instance of ``cls`` that the plain ``data`` (made by :func:`plain`) stands for."""
    made: V = _builder(cls)(data)
    return made


def plain(values: Any, raw: Any) -> Any:
    """``values`` as plain data, with the fields set in ``raw`` (the front matter they were
    checked from) only, in the order of the model: lists for tuples, dicts for instances."""
    kind = type(values)
    if kind in _SCALARS:  # most calls: one test, before any of the ones below
        return values
    names = _field_names(kind)
    if names is not None and isinstance(raw, dict):
        return {name: plain(getattr(values, name), raw[name]) for name in names if name in raw}
    if isinstance(values, tuple) and isinstance(raw, list):
        return [plain(value, item) for value, item in zip(values, raw, strict=True)]
    if isinstance(values, Mapping) and isinstance(raw, dict):
        return {key: plain(value, raw.get(key)) for key, value in values.items()}
    return values


#: The types of values that are plain already (every run reads hundreds of thousands of them).
_SCALARS = frozenset({str, int, float, bool, type(None), dt.date, dt.datetime})
_FIELD_NAMES: dict[type[Any], tuple[str, ...] | None] = {}


def _field_names(kind: type[Any]) -> tuple[str, ...] | None:
    """The field names of a model class in their order (None for any other type), found once."""
    try:
        return _FIELD_NAMES[kind]
    except KeyError:
        names = tuple(f.name for f in dataclasses.fields(kind)) if dataclasses.is_dataclass(kind) else None
        _FIELD_NAMES[kind] = names
        return names


_BUILDERS: dict[type[Any], _Convert] = {}


def _builder(cls: type[Any]) -> _Convert:
    """A function that makes an instance of ``cls`` from its plain data (made once per class)."""
    made = _BUILDERS.get(cls)
    if made is None:
        made = _BUILDERS[cls] = _make_builder(cls)
    return made


def _make_builder(cls: type[Any]) -> _Convert:
    hints = typing.get_type_hints(cls)
    converts = [(f.name, _converter(hints[f.name])) for f in dataclasses.fields(cls)]
    # Most fields are kept as they are; only lists (to tuples) and nested models change.
    changed = [(name, convert) for name, convert in converts if convert is not None]

    def make(data: Mapping[str, Any]) -> Any:
        values = dict(data)
        for name, convert in changed:
            if name in values:
                values[name] = convert(values[name])
        return cls(**values)

    return make


def _converter(annotation: Any) -> _Convert | None:
    """How to turn plain data into a value of ``annotation``; None where it is the same."""
    origin = typing.get_origin(annotation)
    args = typing.get_args(annotation)
    if isinstance(annotation, type) and dataclasses.is_dataclass(annotation):
        return _builder(annotation)
    if origin is typing.Annotated:
        return _converter(args[0])
    if origin is tuple:
        each = _converter(args[0])
        if each is None:
            return tuple
        return lambda value: tuple(map(each, value))
    if origin in (typing.Union, types.UnionType):
        branches = [a for a in args if isinstance(a, type) and dataclasses.is_dataclass(a)]
        if branches:
            make = _builder(branches[0])
            return lambda value: make(value) if isinstance(value, dict) else value
        return None
    if origin in (dict, Mapping, typing.Mapping) and args:
        item = _converter(args[1])
        if item is None:
            return None
        return lambda value: {key: item(each) for key, each in value.items()}
    return None
