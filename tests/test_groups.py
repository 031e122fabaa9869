"""Group engagements: participants, organizations and tallies, checked by tde validate."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest

from conftest import Run

SCOPE = "interviews/housing-data-scope-a-thon.md"
TENANT = "interviews/eastside-tenant.md"
WORKSHOP = "interviews/hcd-partner-workshop.md"


def _add(root: Path, rel: str, text: str) -> None:
    """Add ``text`` as top-level fields just before the closing '---' of the front matter."""
    path = root / rel
    raw = path.read_text(encoding="utf-8")
    head, sep, body = raw.partition("\n---\n")
    path.write_text(head + "\n" + text.rstrip("\n") + sep + body, encoding="utf-8")


def _without_group_fields(root: Path) -> None:
    """The example's engagements with none of the group fields (whatever they ship with)."""
    for rel in (SCOPE, WORKSHOP):
        _strip_group_fields(root / rel)


def _strip_group_fields(path: Path) -> None:
    lines = path.read_text(encoding="utf-8").split("\n")
    out: list[str] = []
    skipping = False
    for line in lines:
        if line.split(":")[0] in ("participants", "organizations", "tallies"):
            skipping = True
            continue
        if skipping and line.startswith((" ", "-")) and not line.startswith("---"):
            continue
        skipping = False
        out.append(line)
    path.write_text("\n".join(out), encoding="utf-8")


def _codes(result: Run) -> list[str]:
    return [line.rsplit("[", 1)[-1].rstrip("]") for line in result.stdout.splitlines() if "[" in line]


def test_a_group_engagement_with_participants_and_tallies_is_valid(
    example: Path, tde: Callable[..., Run]
) -> None:
    _without_group_fields(example)
    _add(example, SCOPE, (
        "participants:\n  resident: 6\n  government: 4\n"
        "organizations:\n  - Code for Riverton\n"
        "tallies:\n  eviction-filings-by-neighborhood: {votes: 38, cards: 9}\n"
        "  code-violations-by-address:\n    cards: 6\n"
    ))
    result = tde("validate", "--strict", cwd=example)
    assert result.exit_code == 0, result


def test_unknown_types_negatives_and_fractions_are_located_errors(
    example: Path, tde: Callable[..., Run]
) -> None:
    _without_group_fields(example)
    _add(example, SCOPE, (
        "participants:\n  residnet: 6\n  government: -1\n  journalist: 1.5\n"
        "tallies:\n  evictions-by-neighborhood: {votes: 3}\n  code-violations-by-address: {}\n"
    ))
    result = tde("validate", cwd=example)
    assert result.exit_code == 1, result
    out = result.stdout
    lines = (example / SCOPE).read_text(encoding="utf-8").split("\n")
    def line_of(text: str) -> int:
        return next(i for i, line in enumerate(lines, 1) if line.startswith(text))
    assert f"{SCOPE}:{line_of('  residnet')}:3: error: 'residnet' in participants is not a stakeholder type (did you mean 'resident'?)" in out
    assert f"{SCOPE}:{line_of('  government')}:15: error: participants.government must not be negative" in out
    assert f"{SCOPE}:{line_of('  journalist')}:15: error: participants.journalist must be a whole number" in out
    assert (
        f"{SCOPE}:{line_of('  evictions-by')}:3: error: 'evictions-by-neighborhood' in tallies is not a use case "
        "of this project (no usecases/evictions-by-neighborhood.md); did you mean 'eviction-filings-by-neighborhood'?"
    ) in out
    assert "the tally for 'code-violations-by-address' counts nothing" in out
    assert "[empty-tally]" in out


def test_unknown_fields_in_a_tally_are_refused(example: Path, tde: Callable[..., Run]) -> None:
    _without_group_fields(example)
    _add(example, SCOPE, "tallies:\n  code-violations-by-address: {dots: 3}\n")
    result = tde("validate", cwd=example)
    assert result.exit_code == 1, result
    assert "unknown field 'dots'" in result.stdout


def test_a_one_to_one_interview_with_participants_is_a_warning(
    example: Path, tde: Callable[..., Run]
) -> None:
    _add(example, TENANT, "participants:\n  resident: 3\n")
    result = tde("validate", cwd=example)
    assert result.exit_code == 0, result
    assert "[one-to-one-participants]" in result.stdout
    assert tde("validate", "--strict", cwd=example).exit_code == 1


def test_the_schema_describes_the_group_fields(tmp_path: Path, tde: Callable[..., Run]) -> None:
    result = tde("schema", "interview")
    assert result.exit_code == 0, result
    schema = json.loads(result.stdout)
    props = schema["properties"]
    assert {"participants", "organizations", "tallies"} <= props.keys()
    counts = json.dumps(props["participants"])
    assert '"minimum": 0' in counts
    assert "votes" in json.dumps(schema)


def test_a_new_interview_shows_the_group_fields(empty_project: Path, tde: Callable[..., Run]) -> None:
    result = tde("new", "interview", "Spring workshop", cwd=empty_project)
    assert result.exit_code == 0, result
    text = (empty_project / "interviews" / "spring-workshop.md").read_text(encoding="utf-8")
    for field in ("participants", "organizations", "tallies"):
        assert f"# {field}:" in text


# --- evidence that counts people ---------------------------------------------------------------


def _front(path: Path) -> dict[str, object]:
    from ruamel.yaml import YAML

    text = path.read_text(encoding="utf-8")
    data = YAML(typ="safe").load(text.split("---\n")[1])
    assert isinstance(data, dict)
    return data


def _by_hand(root: Path) -> dict[str, tuple[int, set[str], int]]:
    """People, stakeholder types and votes of each use case, recomputed from the records."""
    interviews = {p.stem: _front(p) for p in (root / "interviews").glob("*.md")}
    result: dict[str, tuple[int, set[str], int]] = {}
    for path in (root / "usecases").glob("*.md"):
        usecase = _front(path)
        listed = set(usecase.get("evidence") or [])  # type: ignore[arg-type]
        people, types, votes = 0, set(), 0
        for name, iv in interviews.items():
            tallies = iv.get("tallies") or {}
            assert isinstance(tallies, dict)
            votes += tallies.get(path.stem, {}).get("votes", 0)
            if name not in listed and path.stem not in (iv.get("usecases") or []):  # type: ignore[operator]
                continue
            participants = iv.get("participants") or {}
            assert isinstance(participants, dict)
            types.add(str(iv["stakeholder_type"]))
            types.update(t for t, n in participants.items() if n > 0)
            people += sum(participants.values()) if participants else 1
        result[path.stem] = (people, types, votes)
    return result


def test_score_counts_the_people_and_votes_of_the_example(example: Path, tde: Callable[..., Run]) -> None:
    """The example's scope-a-thon counts its 22 people and its dots; a test recomputes them."""
    result = tde("score", "--format", "json", cwd=example)
    assert result.exit_code == 0, result
    expected = _by_hand(example)
    got = {
        item["id"]: (item["evidence"]["people"], set(item["evidence"]["stakeholder_types"]), item["evidence"]["votes"])
        for item in json.loads(result.stdout)
    }
    assert got == expected
    assert got["eviction-filings-by-neighborhood"][0] >= 22 + 7
    assert got["eviction-filings-by-neighborhood"][2] == 38


def test_the_table_and_csv_show_people_and_votes(
    example: Path, tde: Callable[..., Run], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("COLUMNS", "80")
    table = tde("score", cwd=example)
    assert table.exit_code == 0, table
    lines = table.stdout.splitlines()
    assert lines[0].split()[-2:] == ["votes", "evidence"]
    assert max(map(len, lines)) <= 80
    row = next(line for line in lines if "eviction-filings-by-neighborhood" in line)
    people, types, votes = _by_hand(example)["eviction-filings-by-neighborhood"]
    assert row.split()[-2:] == [str(votes), f"8/{people}/{len(types)}"]
    csv_out = tde("score", "--format", "csv", cwd=example).stdout.splitlines()
    header = csv_out[0].split(",")
    assert {"people", "votes"} <= set(header)


def test_explain_says_how_many_people_and_where_the_dots_were(
    example: Path, tde: Callable[..., Run]
) -> None:
    result = tde("score", "--explain", "--top", "1", cwd=example)
    assert result.exit_code == 0, result
    text = " ".join(result.stdout.split())
    people, types, votes = _by_hand(example)["eviction-filings-by-neighborhood"]
    assert f"It rests on 8 conversations with {people} people of {len(types)} kinds" in text
    assert f"It got {votes} dots at Housing data scope-a-thon" in text


def test_a_private_engagement_adds_its_votes_but_not_its_name(
    example: Path, tde: Callable[..., Run]
) -> None:
    path = example / SCOPE
    path.write_text(path.read_text(encoding="utf-8").replace("consent: anonymous", "consent: private"), encoding="utf-8")
    result = tde("score", "--explain", "--top", "1", cwd=example)
    assert result.exit_code == 0, result
    text = " ".join(result.stdout.split())
    assert "It got 38 dots at a private engagement." in text
    assert "scope-a-thon" not in text.lower()
    data = json.loads(tde("score", "--format", "json", cwd=example).stdout)
    assert data[0]["evidence"]["votes"] == 38


def test_a_tally_counts_for_a_use_case_the_engagement_does_not_list(
    example: Path, tde: Callable[..., Run]
) -> None:
    _without_group_fields(example)
    _add(example, TENANT, "tallies:\n  expiring-affordable-units: {votes: 4}\n")
    _add(example, SCOPE, "tallies:\n  expiring-affordable-units: {votes: 6, cards: 1}\n")
    data = json.loads(tde("score", "--format", "json", cwd=example).stdout)
    assert {d["id"]: d["evidence"]["votes"] for d in data}["expiring-affordable-units"] == 10


# --- who we have not heard from ----------------------------------------------------------------


def _new(root: Path, tde: Callable[..., Run], *args: str) -> None:
    result = tde("new", *args, cwd=root)
    assert result.exit_code == 0, result


def test_status_names_who_we_have_not_heard_from(
    empty_project: Path, tde: Callable[..., Run], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("COLUMNS", "200")
    root = empty_project
    _new(root, tde, "usecase", "Eviction map", "--set", "status=candidate")
    _new(root, tde, "usecase", "Owner lookup", "--set", "status=candidate")
    _new(root, tde, "interview", "Tenant", "--set", "interviewee=A tenant", "--set", "stakeholder_type=resident",
         "--set", "consent=private", "--set", "usecases=[eviction-map, owner-lookup]")
    _new(root, tde, "interview", "Workshop", "--set", "interviewee=Workshop", "--set", "stakeholder_type=government",
         "--set", "tactic=public_consultation", "--set", "consent=anonymous", "--set", "usecases=[eviction-map]")
    _add(root, "interviews/workshop.md", "participants:\n  government: 2\n  journalist: 1\n  business: 0\n")
    _new(root, tde, "persona", "Organizer", "--set", "role=Organizer")
    result = tde("status", cwd=root)
    assert result.exit_code == 0, result
    lines = {line.split("  ")[0].strip(): line for line in result.stdout.splitlines() if "  " in line}
    unheard = lines["Not heard from yet"].split("Not heard from yet")[1].strip()
    assert unheard == "community group, nonprofit, researcher, civic technologist, business"
    assert lines["Personas based on no interview"].endswith("organizer")
    assert lines["Use cases heard from one type only"].endswith("owner-lookup")  # eviction-map: 3 types
    data = json.loads(tde("status", "--format", "json", cwd=root).stdout)
    assert data["unheard"] == ["community_group", "nonprofit", "researcher", "civic_technologist", "business"]
    assert data["personas_without_interviews"] == ["organizer"]
    assert data["single_type_usecases"] == ["owner-lookup"]


def test_a_persona_resting_on_one_interview_is_a_warning(example: Path, tde: Callable[..., Run]) -> None:
    path = example / "personas" / "tenant-organizer.md"
    text = path.read_text(encoding="utf-8")
    head, _, rest = text.partition("interviews:\n")
    items = [line for line in rest.split("\n") if line.startswith("  - ")]
    assert len(items) > 1
    rest = rest.replace("\n".join(items[1:]) + "\n", "", 1)
    path.write_text(head + "interviews:\n" + rest, encoding="utf-8")
    result = tde("validate", cwd=example)
    assert result.exit_code == 0, result
    assert "personas/tenant-organizer.md" in result.stdout
    assert "rests on a single interview" in result.stdout
    assert "[persona-one-interview]" in result.stdout
