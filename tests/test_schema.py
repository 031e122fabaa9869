"""``tde schema``: JSON Schema for each kind, printed or written, matching the records it describes.

No JSON Schema validator is a dependency of tdekit, so the schemas are checked structurally:
every object refuses unknown keys, the required lists and enumerations are those of the brief,
and every key of every example record is a property the schema knows (recursively, through
``$ref`` and ``anyOf``).
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from conftest import Run
from tdekit.output import to_jsonable
from tdekit.records.project import load_project

NAMES = ["signal", "interview", "persona", "usecase", "plan", "feedback", "update", "settings"]


def all_schemas(tde: Callable[..., Run], cwd: Path) -> dict[str, Any]:
    result = tde("schema", cwd=cwd)
    assert result.exit_code == 0, result
    schemas: dict[str, Any] = json.loads(result.stdout)
    return schemas


def objects(node: Any) -> Iterator[dict[str, Any]]:
    """Every object schema inside ``node``."""
    if isinstance(node, dict):
        if node.get("type") == "object":
            yield node
        for value in node.values():
            yield from objects(value)
    elif isinstance(node, list):
        for item in node:
            yield from objects(item)


def resolve(node: dict[str, Any], root: dict[str, Any]) -> dict[str, Any]:
    ref = node.get("$ref")
    if ref is None:
        return node
    name = ref.removeprefix("#/$defs/")
    resolved: dict[str, Any] = root["$defs"][name]
    return resolved


def misfits(value: Any, node: dict[str, Any], root: dict[str, Any], where: str = "") -> list[str]:
    """Where ``value`` leaves the shape of ``node``: unknown keys, missing required keys, values
    off an enumeration, a list where a map is expected (and so on); empty when it fits."""
    node = resolve(node, root)
    if "anyOf" in node:
        tries = [misfits(value, branch, root, where) for branch in node["anyOf"]]
        return [] if any(not t for t in tries) else tries[0]
    kind = node.get("type")
    if kind == "object":
        if not isinstance(value, dict):
            return [f"{where}: not a map"]
        found = [f"{where}.{key}: required" for key in node.get("required", []) if key not in value]
        for key, item in value.items():
            if key in node.get("properties", {}):
                found += misfits(item, node["properties"][key], root, f"{where}.{key}")
            elif node.get("patternProperties"):
                (sub,) = node["patternProperties"].values()
                found += misfits(item, sub, root, f"{where}.{key}")
            elif isinstance(node.get("additionalProperties"), dict):
                found += misfits(item, node["additionalProperties"], root, f"{where}.{key}")
            else:
                found.append(f"{where}.{key}: unknown")
        return found
    if kind == "array":
        if not isinstance(value, list):
            return [f"{where}: not a list"]
        items = node.get("prefixItems") or [node.get("items", {})] * len(value)
        if len(items) != len(value):
            return [f"{where}: {len(value)} items, not {len(items)}"]
        return [
            problem
            for i, (item, sub) in enumerate(zip(value, items, strict=True))
            for problem in misfits(item, sub, root, f"{where}[{i}]")
        ]
    if "enum" in node and value not in node["enum"]:
        return [f"{where}: {value!r} not in {node['enum']}"]
    python = {"string": str, "integer": int, "number": (int, float), "null": type(None), "boolean": bool}
    if kind in python and not isinstance(value, python[kind]):
        return [f"{where}: not {kind}"]
    return []


def test_every_kind_and_settings_are_printed(tde: Callable[..., Run], tmp_path: Path) -> None:
    """Without KIND, one JSON object maps each kind (and settings) to a 2020-12 schema."""
    schemas = all_schemas(tde, tmp_path)
    assert list(schemas) == NAMES
    for name, schema in schemas.items():
        assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
        assert schema["type"] == "object"
        assert schema["title"] == ("tde.yaml" if name == "settings" else f"tde {name} record")


def test_every_object_refuses_unknown_keys(tde: Callable[..., Run], tmp_path: Path) -> None:
    """Each object in each schema forbids other keys, or describes the values of a free map."""
    for name, schema in all_schemas(tde, tmp_path).items():
        for node in objects(schema):
            extra = node.get("additionalProperties")
            assert extra is False or (isinstance(extra, dict) and extra), (name, node)


@pytest.mark.parametrize(
    ("name", "required"),
    [
        ("interview", ["id", "title", "date", "interviewee", "stakeholder_type", "tactic", "consent"]),
        ("persona", ["id", "title", "role"]),
        ("usecase", ["id", "title", "status"]),
        ("plan", ["id", "title", "usecase", "status", "intervention"]),
        ("feedback", ["id", "title", "plan", "date", "source", "consent", "channel", "disposition"]),
        ("settings", ["name", "organization", "focus_area", "scoring"]),
    ],
)
def test_required_fields_follow_the_brief(
    name: str, required: list[str], tde: Callable[..., Run], tmp_path: Path
) -> None:
    """The required list of each kind is the one in the brief."""
    result = tde("schema", name, cwd=tmp_path)
    assert result.exit_code == 0
    assert sorted(json.loads(result.stdout)["required"]) == sorted(required)


def test_enumerations_list_the_allowed_values(tde: Callable[..., Run], tmp_path: Path) -> None:
    """Enumerated fields carry their allowed values; ids carry the slug pattern and dates their format."""
    schemas = all_schemas(tde, tmp_path)
    interview = schemas["interview"]["properties"]
    assert interview["consent"]["enum"] == ["public", "anonymous", "private"]
    assert interview["tactic"]["enum"] == [
        "interview", "scope_a_thon", "expert_consultation", "public_consultation", "partner_workshop"
    ]
    assert interview["id"]["pattern"] == "^[a-z0-9][a-z0-9-]*$"
    assert interview["date"] == {"format": "date", "title": "Date", "type": "string"}
    assert schemas["usecase"]["properties"]["status"]["enum"] == [
        "candidate", "shortlisted", "selected", "parked"
    ]
    assert schemas["feedback"]["properties"]["disposition"]["enum"] == [
        "open", "accepted", "partly_accepted", "declined"
    ]
    weight = schemas["settings"]["$defs"]["Criterion"]["properties"]["weight"]
    assert weight["minimum"] == 0 and "ge" not in weight


def test_example_records_fit_their_schemas(tde: Callable[..., Run], example: Path) -> None:
    """Every example record and the example tde.yaml fit their schema, key by key."""
    schemas = all_schemas(tde, example)
    project = load_project(example)
    assert project.records
    for record in project.records:
        data = to_jsonable(record.doc.data)
        assert misfits(data, schemas[record.kind], schemas[record.kind]) == [], record.rel
    settings = to_jsonable(project.settings)
    assert misfits(settings, schemas["settings"], schemas["settings"]) == []


def test_schemas_reject_what_validate_rejects(tde: Callable[..., Run], tmp_path: Path) -> None:
    """An unknown field, a nested unknown field and a value off an enumeration do not fit."""
    schema = all_schemas(tde, tmp_path)["plan"]
    plan = {"id": "p", "title": "P", "usecase": "u", "status": "draft",
            "intervention": {"kind": "tool", "summary": "S", "budget": 3},
            "milestones": [{"what": "W", "when": "2026-01-01", "how": "?"}],
            "formality": "casual", "owner": "me"}
    assert sorted(misfits(plan, schema, schema)) == [
        ".formality: 'casual' not in ['light', 'standard', 'formal']",
        ".intervention.budget: unknown",
        ".milestones[0].how: unknown",
        ".owner: unknown",
    ]


def test_kind_may_be_spelt_as_its_folder(tde: Callable[..., Run], tmp_path: Path) -> None:
    """'usecases', 'use-case' and 'tde.yaml' name the same schemas as 'usecase' and 'settings'."""
    usecase = tde("schema", "usecase", cwd=tmp_path).stdout
    assert tde("schema", "usecases", cwd=tmp_path).stdout == usecase
    assert tde("schema", "use-case", cwd=tmp_path).stdout == usecase
    assert tde("schema", "tde.yaml", cwd=tmp_path).stdout == tde("schema", "settings", cwd=tmp_path).stdout


def test_unknown_kind_is_a_usage_error(tde: Callable[..., Run], tmp_path: Path) -> None:
    """An unknown KIND exits 2 with the list of kinds and prints nothing."""
    result = tde("schema", "meeting", cwd=tmp_path)
    assert (result.exit_code, result.stdout) == (2, "")
    assert result.stderr == (
        "error: unknown kind 'meeting'; choose one of: signal, interview, persona, usecase, plan, feedback, "
        "update, settings\n"
    )


def test_output_folder_gets_one_file_per_kind(tde: Callable[..., Run], tmp_path: Path) -> None:
    """-o DIR writes DIR/<kind>.schema.json for each kind, the same JSON as printed."""
    printed = all_schemas(tde, tmp_path)
    result = tde("schema", "-o", "schemas", cwd=tmp_path)
    assert result.exit_code == 0
    folder = tmp_path / "schemas"
    assert sorted(p.name for p in folder.iterdir()) == sorted(f"{n}.schema.json" for n in NAMES)
    assert result.stdout.splitlines() == [f"schemas/{n}.schema.json" for n in NAMES]
    assert result.stderr == f"{len(NAMES)} schema files written to schemas\n"
    for name in NAMES:
        assert json.loads((folder / f"{name}.schema.json").read_text()) == printed[name]


def test_output_never_overwrites_without_force(tde: Callable[..., Run], tmp_path: Path) -> None:
    """An existing schema file stops the whole write (nothing written) unless --force is given."""
    folder = tmp_path / "schemas"
    folder.mkdir()
    (folder / "plan.schema.json").write_text("{}\n")
    refused = tde("schema", "-o", str(folder), cwd=tmp_path)
    assert refused.exit_code == 1
    assert refused.stderr == f"error: {folder}/plan.schema.json already exists; pass --force to replace\n"
    assert sorted(p.name for p in folder.iterdir()) == ["plan.schema.json"]
    assert (folder / "plan.schema.json").read_text() == "{}\n"
    forced = tde("schema", "plan", "-o", str(folder), "--force", cwd=tmp_path)
    assert forced.exit_code == 0
    assert json.loads((folder / "plan.schema.json").read_text())["title"] == "tde plan record"


def test_output_never_writes_through_a_link(tde: Callable[..., Run], tmp_path: Path) -> None:
    """Even with --force, a schema file that is a symbolic link is refused and its target kept."""
    folder = tmp_path / "schemas"
    folder.mkdir()
    target = tmp_path / "precious.txt"
    target.write_text("keep me\n")
    (folder / "persona.schema.json").symlink_to(target)
    result = tde("schema", "persona", "-o", str(folder), "--force", cwd=tmp_path)
    assert result.exit_code == 1
    assert "symbolic link" in result.stderr
    assert target.read_text() == "keep me\n"


def test_output_into_a_file_is_a_usage_error(tde: Callable[..., Run], tmp_path: Path) -> None:
    """-o naming an existing file (not a folder) exits 2 and leaves the file alone."""
    existing = tmp_path / "notes.txt"
    existing.write_text("notes\n")
    result = tde("schema", "-o", str(existing), cwd=tmp_path)
    assert result.exit_code == 2
    assert existing.read_text() == "notes\n"
