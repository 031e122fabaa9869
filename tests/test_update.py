"""The update kind (Step 4): what the team tells the community as a plan is carried out.

It is the test of the registry of kinds: one spec, one model and one template, and every
command knows it.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

from conftest import Run

PLAN = "eviction-filings-release-plan"
UPDATE = "updates/first-release-is-out.md"


def named(root: Path, plan: str) -> None:
    """Make the update name ``plan`` as its plan, as a person editing the file would."""
    path = root / UPDATE
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    [at] = [i for i, line in enumerate(lines) if line.startswith("plan: ")]
    lines[at] = f"plan: {plan}\n"
    path.write_text("".join(lines), encoding="utf-8")


def new_update(tde: Callable[..., Run], root: Path, *sets: str) -> Run:
    args = [arg for value in sets for arg in ("--set", value)]
    return tde("new", "update", "First release is out", *args, cwd=root)


def test_new_update_is_written_from_its_template_and_validates(
    tde: Callable[..., Run], example: Path
) -> None:
    """tde new update writes updates/<id>.md with today's date; with its plan set it validates."""
    result = new_update(tde, example, f"plan={PLAN}", "channel=website", "audience=[Northside renters]")
    assert result.exit_code == 0, result
    assert result.stdout == f"{UPDATE}\n"
    text = (example / UPDATE).read_text(encoding="utf-8")
    assert text.startswith("---\nid: first-release-is-out\ntitle: First release is out\n")
    assert f"plan: {PLAN}" in text
    assert "channel: website" in text
    assert "The message as it was sent." in text
    # the template's prompt is a warning until the team writes the message in its place
    message = text[text.index("The message as it was sent."):]
    (example / UPDATE).write_text(text.replace(message, "The first release is on the portal.\n"), encoding="utf-8")
    checked = tde("validate", "--strict", cwd=example)
    assert (checked.exit_code, checked.stdout) == (0, ""), checked


def test_validate_checks_the_plan_an_update_names(tde: Callable[..., Run], example: Path) -> None:
    """An update naming a plan that does not exist, or a record of another kind, is an error."""
    assert new_update(tde, example, f"plan={PLAN}").exit_code == 0  # tde new refuses a wrong id
    named(example, "eviction-filings-release-pln")
    result = tde("validate", cwd=example)
    assert result.exit_code == 1
    assert (
        f"{UPDATE}:5:7: error: 'eviction-filings-release-pln' in plan is not a plan of this "
        f"project (no plans/eviction-filings-release-pln.md); did you mean '{PLAN}'? "
        "[unknown-reference]"
    ) in result.stdout.splitlines()
    named(example, "eastside-tenant")
    result = tde("validate", cwd=example)
    assert (
        f"{UPDATE}:5:7: error: 'eastside-tenant' in plan is an interview "
        "(interviews/eastside-tenant.md), not a plan [wrong-kind-reference]"
    ) in result.stdout.splitlines()


def test_an_update_channel_and_kind_are_choices(tde: Callable[..., Run], example: Path) -> None:
    """A channel or kind outside the brief's choices is refused, with a did-you-mean."""
    result = new_update(tde, example, f"plan={PLAN}", "channel=emial")
    assert result.exit_code == 2
    assert result.stderr == (
        "error: --set: 'emial' is not a valid channel (did you mean 'email'?); choose one of: "
        "email, meeting, website, social, print, other\n"
    )
    result = new_update(tde, example, f"plan={PLAN}", "kind=launched")
    assert "'launched' is not a valid kind (did you mean 'launch'?)" in result.stderr


def test_list_shows_updates_and_keeps_their_kind_in_json(tde: Callable[..., Run], example: Path) -> None:
    """tde list update has plan, date, channel and kind; in JSON the kind field is update_kind."""
    assert new_update(tde, example, f"plan={PLAN}", "kind=launch").exit_code == 0
    table = tde("list", "update", cwd=example)
    assert table.exit_code == 0, table
    assert table.stdout.splitlines()[0].split() == ["id", "title", "plan", "date", "channel", "kind"]
    assert "first-release-is-out" in table.stdout and "launch" in table.stdout
    listed = json.loads(tde("list", "updates", "--format", "json", cwd=example).stdout)
    assert ("update", "first-release-is-out", "launch", PLAN) in [
        (r["kind"], r["id"], r["update_kind"], r["plan"]) for r in listed
    ]
    assert {r["update_kind"] for r in listed} == {"launch", "delay", "result"}  # the example's own too
    refused = tde("list", "update", "--status", "open", cwd=example)
    assert (refused.exit_code, refused.stderr) == (2, "error: updates have no status to filter on\n")


def test_schema_of_an_update(tde: Callable[..., Run], tmp_path: Path) -> None:
    """tde schema update: plan and date required, the choices of channel and kind, no consent."""
    schema = json.loads(tde("schema", "update", cwd=tmp_path).stdout)
    assert schema["title"] == "tde update record"
    assert schema["required"] == ["id", "title", "plan", "date"]
    props = schema["properties"]
    assert "consent" not in props
    assert props["channel"]["anyOf"][0]["enum"] == ["email", "meeting", "website", "social", "print", "other"]
    assert props["kind"]["anyOf"][0]["enum"] == ["progress", "delay", "launch", "result", "other"]
    assert props["audience"]["items"]["type"] == "string"


def test_init_makes_the_updates_folder(tde: Callable[..., Run], tmp_path: Path) -> None:
    """tde init creates updates/ beside the other record folders."""
    assert tde("init", str(tmp_path / "p"), "--no-git").exit_code == 0
    assert (tmp_path / "p" / "updates").is_dir()
