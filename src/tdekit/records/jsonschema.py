"""``tde schema``: the JSON Schema of each record kind and of ``tde.yaml``, for editors and tools.

Made by pydantic from the models (:mod:`tdekit.records.models`, :mod:`tdekit.records.settings`),
made strict where pydantic leaves it loose.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from tdekit.errors import RefusedWrite, UsageError
from tdekit.fsio import write_file
from tdekit.records.kinds import KINDS, SETTINGS_FILE, kind_for
from tdekit.records.schema import adapter
from tdekit.records.settings import Settings

#: The names ``tde schema`` knows: the five kinds, then ``settings`` for ``tde.yaml``.
SCHEMA_NAMES: tuple[str, ...] = (*KINDS, "settings")

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


class SchemaFilesExist(RefusedWrite):
    """Schema files that would be replaced, refused without ``force``: ``paths``."""

    def __init__(self, paths: list[str]) -> None:
        super().__init__(f"{', '.join(paths)} already exist{'s' if len(paths) == 1 else ''}")
        self.paths = paths


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
            raise SchemaFilesExist(existing)
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
    if name == "settings":
        schema = _tighten(Settings.model_json_schema())
    else:
        schema = _tighten(adapter(KINDS[name].model()).json_schema())
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
    properties = out.get("properties") or {}
    for name, prop in properties.items():
        # A map of a model dataclass defaults to an empty one made afresh, which pydantic
        # leaves unsaid; said here, in pydantic's order of keywords.
        if prop.get("type") == "object" and name not in out.get("required", ()) and "default" not in prop:
            properties[name] = dict(sorted({**prop, "default": {}}.items()))
    return out
