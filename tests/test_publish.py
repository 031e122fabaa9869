"""The publish package called directly: consent in one place, the formats registry, the -o guard."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from pathlib import Path

import pytest

import tdekit
from conftest import Run
from plan_project import copy_project
from tdekit import fsio
from tdekit.errors import RefusedWrite
from tdekit.publish import consent, formats
from tdekit.publish.gate import UnsafeOutput

PLAN_ID = "arrivals-plan"


def test_consent_says_what_may_be_shown() -> None:
    """public: everything; anonymous: what was said, counted, no name nor organisation;
    private, missing or unknown: nothing, not even counted."""
    assert consent.may_show("public") == consent.Showing(name=True, organization=True, body=True, counted=True)
    assert consent.may_show("anonymous") == consent.Showing(name=False, organization=False, body=True, counted=True)
    for withheld in ("private", None, "Public", ""):
        assert consent.may_show(withheld) == consent.NOTHING
    assert consent.who("Ana Ruiz", consent.may_show("public"), "A resident") == "Ana Ruiz"
    assert consent.who("Ana Ruiz", consent.may_show("anonymous"), "A resident") == "A resident (anonymous)"


def test_kinds_without_consent_are_shown_whole(tmp_path: Path) -> None:
    project = tdekit.load_project(copy_project(tmp_path))
    plan = project.by_id()[PLAN_ID]
    assert consent.showing(plan) == consent.EVERYTHING
    shown = {r.id: consent.showing(r) for r in project.of_kind("interview")}
    assert consent.NOTHING in shown.values()  # the fixture has a private interview


def _binary_format(monkeypatch: pytest.MonkeyPatch) -> None:
    """A format of bytes, registered as a new format would be: one entry and its template."""
    entry = dataclasses.replace(
        formats.FORMATS["md"], name="bin", suffix="bin", finish=lambda text: text.encode("utf-16")
    )
    monkeypatch.setitem(formats.FORMATS, "bin", entry)


def test_a_registered_format_writes_bytes(
    tmp_path: Path, tde: Callable[..., Run], monkeypatch: pytest.MonkeyPatch
) -> None:
    """One registry entry and its template make a format of --format, whose bytes are written as made."""
    root = copy_project(tmp_path)
    (root / "templates" / "render").mkdir(parents=True)
    (root / "templates" / "render" / "plan.bin.j2").write_text("# {{ plan.title }}\n", encoding="utf-8")
    _binary_format(monkeypatch)
    out = tmp_path / "plan.bin"
    done = tde("render", "plan", PLAN_ID, "-f", "bin", "-o", str(out), cwd=root)
    assert done.exit_code == 0, done
    title = tdekit.load_project(root).by_id()[PLAN_ID].title
    assert out.read_bytes() == f"# {title}\n".encode("utf-16")


def test_a_registered_format_passes_the_gate(
    tmp_path: Path, tde: Callable[..., Run], monkeypatch: pytest.MonkeyPatch
) -> None:
    """A new format gets the final checks by registering: a script in its output refuses it."""
    root = copy_project(tmp_path)
    (root / "templates" / "render").mkdir(parents=True)
    (root / "templates" / "render" / "plan.bin.j2").write_text(
        "# {{ plan.title }}\n\n<script>alert(1)</script>\n", encoding="utf-8"
    )
    _binary_format(monkeypatch)
    out = tmp_path / "plan.bin"
    done = tde("render", "plan", PLAN_ID, "-f", "bin", "-o", str(out), cwd=root)
    assert done.exit_code == 1
    assert "<script> element" in done.stderr
    assert not out.exists()


def test_the_api_checks_what_it_renders(tmp_path: Path) -> None:
    """tdekit.render_plan runs the gate too: a project template with a script is refused."""
    root = copy_project(tmp_path)
    (root / "templates" / "render").mkdir(parents=True)
    (root / "templates" / "render" / "plan.md.j2").write_text(
        "# {{ plan.title }}\n\n<script>alert(1)</script>\n", encoding="utf-8"
    )
    with pytest.raises(UnsafeOutput, match="<script> element"):
        tdekit.render_plan(tdekit.load_project(root), PLAN_ID)


@pytest.mark.parametrize(
    "place", ["tde.yaml", "TDE.YAML", "plans/x.md", "Plans/x.md", "templates/x", ".git/x", "a/.git/b", "c/../plans/x"]
)
def test_the_output_guard_refuses_protected_places(tmp_path: Path, place: str) -> None:
    (tmp_path / "c").mkdir()
    with pytest.raises(RefusedWrite, match="refusing to write the plan to"):
        fsio.check_output(
            tmp_path, tmp_path / place, files={"tde.yaml": "the settings"}, folders={"plans": "records", "templates": "t"}
        )


@pytest.mark.parametrize("place", ["build/plan.html", "plan.md", "plansx/p.md", "tde.yaml.bak"])
def test_the_output_guard_allows_anywhere_else(tmp_path: Path, place: str) -> None:
    fsio.check_output(tmp_path, tmp_path / place, files={"tde.yaml": "the settings"}, folders={"plans": "records"})
