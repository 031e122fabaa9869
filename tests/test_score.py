"""``tde score`` on the scoring fixture and the shipped example, through the real CLI.

The expected outputs live in ``tests/fixtures/scoring/golden/``, one file per case in
:data:`CASES`, compared exactly. After a deliberate change of output, regenerate them with

    UPDATE_GOLDEN=1 .venv/bin/pytest tests/test_score.py

and review the diff before committing it.
"""

from __future__ import annotations

import json
import re
import shutil
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from conftest import Run, assert_golden
from tdekit import output

FIXTURE = Path(__file__).parent / "fixtures" / "scoring"
GOLDEN = FIXTURE / "golden"

#: golden file name -> the arguments of ``tde score`` that produce it (at 80 columns).
CASES: dict[str, list[str]] = {
    "score.txt": [],
    "score-explain.txt": ["--explain"],
    "score-top-2.txt": ["--top", "2"],
    "score-shortlisted.txt": ["--status", "shortlisted"],
    "score.json": ["--format", "json"],
    "score-reweighted.json": ["--format", "json", "--weight", "capacity=0.2", "--weight", "impact=0"],
    "score.csv": ["--format", "csv"],
    "score-explain-top-2.json": ["--format", "json", "--explain", "--top", "2"],
}

SKIPPED = (
    "2 use case files were left out of the ranking (usecases/bus-lane-enforcement.md, "
    "usecases/ferry-ridership.md); run 'tde validate' to see why.\n"
)


@pytest.fixture
def narrow(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """An 80-column terminal (the console is built once per process, so rebuild it)."""
    monkeypatch.setenv("COLUMNS", "80")
    output.stdout.cache_clear()
    yield
    output.stdout.cache_clear()


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """A copy of the scoring fixture project."""
    root = tmp_path / "project"
    shutil.copytree(FIXTURE / "project", root)
    return root


def score_json(tde: Callable[..., Run], root: Path, *args: str) -> list[dict[str, object]]:
    run = tde("score", "--format", "json", *args, cwd=root)
    assert run.exit_code == 0, run
    result: list[dict[str, object]] = json.loads(run.stdout)
    return result


@pytest.mark.parametrize("name", sorted(CASES))
def test_golden(name: str, narrow: None, project: Path, tde: Callable[..., Run]) -> None:
    """tde score prints exactly the golden output for each case, and says which files it skipped."""
    run = tde("score", *CASES[name], cwd=project)
    assert run.exit_code == 0, run
    assert run.stderr == SKIPPED
    assert_golden(run.stdout, GOLDEN / name)


def test_every_golden_file_has_a_case() -> None:
    """No golden file is left behind when a case is removed."""
    assert sorted(p.name for p in GOLDEN.iterdir()) == sorted(CASES)


def test_ranking_ties_and_missing(project: Path, tde: Callable[..., Run]) -> None:
    """Ties share a rank, incomplete use cases follow complete ones, unscored ones come last."""
    ranked = score_json(tde, project)
    assert [(r["id"], r["rank"], r["tied"]) for r in ranked] == [
        ("realtime-arrivals", 1, False),
        ("stop-accessibility", 2, False),
        ("fare-capping", 3, True),
        ("night-service-gaps", 3, True),
        ("bike-share-docks", 5, False),
        ("paratransit-wait-times", 6, False),
    ]
    by_id = {r["id"]: r for r in ranked}
    assert by_id["bike-share-docks"]["score"] == 5.0  # highest mean, yet after complete ones
    assert by_id["bike-share-docks"]["incomplete"] is True
    assert by_id["bike-share-docks"]["missing"] == ["impact"]
    assert by_id["bike-share-docks"]["criteria"]["impact"] == {  # type: ignore[index]
        "value": None, "weight": 0.2, "contribution": None,
    }
    assert by_id["paratransit-wait-times"]["score"] is None
    assert by_id["paratransit-wait-times"]["missing"] == ["capacity", "interest", "impact"]


def test_contributions_add_up_to_the_score(project: Path, tde: Callable[..., Run]) -> None:
    """Each contribution is weight × value ÷ the weight scored, and they sum to the score."""
    for item in score_json(tde, project, "--weight", "interest=1.5"):
        criteria = item["criteria"]
        assert isinstance(criteria, dict)
        scored = [c for c in criteria.values() if c["value"] is not None]
        if item["score"] is None:
            continue
        total = sum(c["weight"] for c in scored)
        for c in scored:
            assert c["contribution"] == pytest.approx(c["weight"] * c["value"] / total, abs=1e-6)
        assert sum(c["contribution"] for c in scored) == pytest.approx(item["score"], abs=1e-5)


def test_evidence(project: Path, tde: Callable[..., Run]) -> None:
    """Evidence joins both directions of the link, counts each interview once, flags thin support."""
    by_id = {r["id"]: r for r in score_json(tde, project)}
    # listed in the use case's evidence, listed by the interview, or both
    assert by_id["realtime-arrivals"]["evidence"] == {
        "interviews": 3,
        "interview_ids": ["civic-hackers-meetup", "rider-survey-eastside", "transit-agency-planners"],
        "people": 3,
        "stakeholder_types": ["civic_technologist", "government", "resident"],
        "community": 1,
        "votes": 0,
    }
    assert by_id["night-service-gaps"]["thin"] is True
    assert by_id["paratransit-wait-times"]["evidence"]["interviews"] == 0  # type: ignore[index]
    assert by_id["paratransit-wait-times"]["thin"] is True
    assert by_id["fare-capping"]["thin"] is False


def test_interview_with_problems_still_counts(project: Path, tde: Callable[..., Run]) -> None:
    """An interview file with a problem still backs its use case, but its type is not trusted."""
    path = project / "interviews" / "civic-hackers-meetup.md"
    path.write_text(path.read_text(encoding="utf-8").replace("tactic:", "tactics:"), encoding="utf-8")
    first = score_json(tde, project)[0]
    assert first["evidence"]["interviews"] == 3  # type: ignore[index]
    assert first["evidence"]["stakeholder_types"] == ["government", "resident"]  # type: ignore[index]


def test_robustness_names_the_move_that_unseats_the_leader(project: Path, tde: Callable[..., Run]) -> None:
    """Lowering capacity's weight by 20 % hands the lead to stop-accessibility; nothing else does."""
    first = score_json(tde, project)[0]
    assert first["robustness"] == {
        "leaders": ["realtime-arrivals"],
        "step": 0.2,
        "holds": False,
        "challengers": [
            {"criterion": "capacity", "direction": "down", "weight": 0.32,
             "new_leaders": ["stop-accessibility"]},
        ],
    }
    # and the move it names really does change the leader
    moved = score_json(tde, project, "--weight", "capacity=0.32")
    assert moved[0]["id"] == "stop-accessibility"


def test_robustness_holds_and_tied_top(project: Path, tde: Callable[..., Run]) -> None:
    """A clear leader holds; a tied top has no single leader and so cannot hold."""
    clear = score_json(tde, project, "--weight", "capacity=1")[0]
    assert clear["robustness"]["holds"] is True  # type: ignore[index]
    assert clear["robustness"]["challengers"] == []  # type: ignore[index]
    tied = score_json(tde, project, "--status", "candidate", "--weight", "impact=0")
    assert [(r["id"], r["rank"]) for r in tied][:2] == [("bike-share-docks", 1), ("night-service-gaps", 2)]
    # with impact weighed at nothing, bike-share-docks is complete and first
    assert tied[0]["incomplete"] is False
    level = score_json(tde, project, "--status", "shortlisted", "--weight", "capacity=0.2",
                       "--weight", "interest=0.2", "--weight", "impact=0")
    assert [(r["rank"], r["tied"]) for r in level] == [(1, True), (1, True)]
    assert level[0]["robustness"]["leaders"] == ["fare-capping", "stop-accessibility"]  # type: ignore[index]
    assert level[0]["robustness"]["holds"] is False  # type: ignore[index]


def test_top_keeps_the_ranks(project: Path, tde: Callable[..., Run]) -> None:
    """--top N shows the first N without renumbering them."""
    ranked = score_json(tde, project, "--top", "3")
    assert [r["rank"] for r in ranked] == [1, 2, 3]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--weight", "capacty=0.3"],
         "error: --weight 'capacty=0.3': 'capacty' is not a criterion in tde.yaml; did you mean 'capacity'?\n"),
        (["--weight", "speed=1"],
         "error: --weight 'speed=1': 'speed' is not a criterion in tde.yaml; the criteria are: capacity, interest, impact\n"),
        (["--weight", "capacity=-0.1"], "error: --weight 'capacity=-0.1': a weight cannot be negative\n"),
        (["--weight", "capacity=high"], "error: --weight 'capacity=high': 'high' is not a number\n"),
        (["--weight", "capacity=nan"], "error: --weight 'capacity=nan': a weight must be a finite number, not .nan\n"),
        (["--weight", "capacity"],
         "error: --weight 'capacity': write it as NAME=WEIGHT, e.g. --weight capacity=0.4\n"),
        (["--weight", "capacity=0", "--weight", "interest=0", "--weight", "impact=0"],
         "error: --weight: every scoring weight is zero; give at least one criterion a weight above 0\n"),
        (["--status", "choosen"],
         "error: 'choosen' is not a use case status; choose one of: candidate, shortlisted, selected, parked\n"),
        (["--status", "selcted"],
         "error: 'selcted' is not a use case status; did you mean 'selected'? choose one of: candidate, shortlisted, selected, parked\n"),
    ],
)
def test_refusals(args: list[str], message: str, project: Path, tde: Callable[..., Run]) -> None:
    """Bad --weight and --status values are refused with exit 2 and one line, and nothing printed."""
    run = tde("score", *args, cwd=project)
    assert run.exit_code == 2, run
    assert run.stdout == ""
    assert run.stderr == message


def test_bad_format_and_top(project: Path, tde: Callable[..., Run]) -> None:
    """An unknown --format and a --top below 1 are usage errors."""
    assert tde("score", "--format", "xml", cwd=project).exit_code == 2
    assert tde("score", "--top", "0", cwd=project).exit_code == 2


def test_all_zero_weights_in_settings(project: Path, tde: Callable[..., Run]) -> None:
    """A tde.yaml whose weights are all zero is refused (exit 2) unless --weight gives one."""
    settings = project / "tde.yaml"
    text = settings.read_text(encoding="utf-8")
    for weight in ("0.4", "0.2"):
        text = text.replace(f"weight: {weight}", "weight: 0")
    settings.write_text(text, encoding="utf-8")
    run = tde("score", cwd=project)
    assert run.exit_code == 2
    assert run.stderr == (
        "error: tde.yaml:8:3: every scoring weight is zero; give at least one criterion a weight above 0\n"
    )
    assert score_json(tde, project, "--weight", "interest=1")[0]["id"] == "bike-share-docks"


def test_no_use_cases(empty_project: Path, tde: Callable[..., Run]) -> None:
    """A project without use cases scores to an empty list and says so."""
    run = tde("score", "--format", "json", cwd=empty_project)
    assert run.exit_code == 0, run
    assert json.loads(run.stdout) == []
    assert run.stderr == "No use cases to score.\n"


def test_example_selected_use_case_ranks_first(example: Path, tde: Callable[..., Run]) -> None:
    """In the shipped example the selected use case ranks first, alone, and the lead holds."""
    ranked = score_json(tde, example)
    first = ranked[0]
    assert first["status"] == "selected"
    assert first["rank"] == 1 and first["tied"] is False
    assert first["robustness"]["holds"] is True  # type: ignore[index]
    assert all(not r["incomplete"] for r in ranked)


def test_example_table_fits_80_columns(narrow: None, example: Path, tde: Callable[..., Run]) -> None:
    """The table of the shipped example reads in an 80-column terminal, ids whole."""
    run = tde("score", "--explain", cwd=example)
    assert run.exit_code == 0, run
    assert run.stderr == ""
    assert max(len(line) for line in run.stdout.splitlines()) <= 80
    assert " 1 eviction-filings-by-neighborhood  4.20" in run.stdout


def table_rows(stdout: str, ranked: list[dict[str, object]]) -> dict[str, str]:
    """The table line of each use case, found by its rank and id at the start."""
    rows = {}
    for item in ranked:
        rank = f"={item['rank']}" if item["tied"] else str(item["rank"])
        found = [line for line in stdout.splitlines() if line.split()[:2] == [rank, item["id"]]]
        assert len(found) == 1, (item["id"], stdout)
        rows[str(item["id"])] = found[0]
    return rows


def evidence_of(item: dict[str, object]) -> str:
    evidence = item["evidence"]
    assert isinstance(evidence, dict)
    return f"{evidence['interviews']}/{evidence['people']}/{len(evidence['stakeholder_types'])}"


def votes_of(item: dict[str, object], ranked: list[dict[str, object]]) -> list[str]:
    """The votes cell of a row: present when any use case shown got votes, a dash for none."""
    def votes(each: dict[str, object]) -> int:
        evidence = each["evidence"]
        assert isinstance(evidence, dict)
        count = evidence["votes"]
        assert isinstance(count, int)
        return count

    if not any(votes(each) for each in ranked):
        return []
    return [str(votes(item)) if votes(item) else "–"]


@pytest.mark.parametrize("which", ["fixture", "example"])
def test_each_use_case_is_one_line_at_80_columns(
    which: str, narrow: None, project: Path, example: Path, tde: Callable[..., Run]
) -> None:
    """At 80 columns each use case is one line: rank, id, score, every value, evidence, flags."""
    root = project if which == "fixture" else example
    ranked = score_json(tde, root)
    run = tde("score", cwd=root)
    assert max(len(line) for line in run.stdout.splitlines()) <= 80
    for item in ranked:
        line = table_rows(run.stdout, ranked)[str(item["id"])]
        cells = line.split()
        score = "–" if item["score"] is None else f"{item['score']:.2f}" + ("*" if item["incomplete"] else "")
        criteria = item["criteria"]
        assert isinstance(criteria, dict)
        values = ["–" if c["value"] is None else str(c["value"]) for c in criteria.values()]
        thin = ["thin"] if item["thin"] else []
        done = ["done"] if item["done"] else []
        assert cells[2:] == [score, *values, *votes_of(item, ranked), evidence_of(item), *thin, *done]


def test_a_new_use_case_without_scores_fits_80_columns(
    narrow: None, empty_project: Path, tde: Callable[..., Run]
) -> None:
    """A first use case, with a long id and no scores or interviews yet, is one short line."""
    assert tde("new", "usecase", "Eviction filings by neighborhood", cwd=empty_project).exit_code == 0
    run = tde("score", cwd=empty_project)
    assert run.exit_code == 0, run
    lines = run.stdout.splitlines()
    assert lines[0].split() == ["#", "use", "case", "score", "cap", "int", "par", "dat", "imp", "evidence"]
    assert lines[2].split() == ["1", "eviction-filings-by-neighborhood", *["–"] * 6, "0/0/0", "thin"]
    assert max(len(line) for line in lines) <= 80


def test_an_id_too_long_for_the_row_gets_a_line_of_its_own(
    narrow: None, project: Path, tde: Callable[..., Run]
) -> None:
    """An id that leaves no room for the numbers stays whole; its numbers go on the next line."""
    long_id = "which-neighborhoods-wait-longest-for-a-bus-after-midnight-on-weekdays"
    source = project / "usecases" / "night-service-gaps.md"
    text = source.read_text(encoding="utf-8").replace("id: night-service-gaps", f"id: {long_id}")
    source.unlink()
    (project / "usecases" / f"{long_id}.md").write_text(text, encoding="utf-8")
    run = tde("score", cwd=project)
    assert run.exit_code == 0, run
    lines = run.stdout.splitlines()
    at = lines.index(f"=3 {long_id}")
    assert lines[at + 1].split() == ["3.00", "4", "2", "3", "0/0/0", "thin"]  # its interview names the old id
    assert lines[at + 1].index("3.00") == lines[at - 1].index("3.00")  # in the score column
    # the other ids keep a column as narrow as they allow
    assert " 1 realtime-arrivals      3.40 " in run.stdout
    assert all(len(line) <= 80 for line in lines if long_id not in line)


def test_colour_changes_nothing_but_the_colour(
    narrow: None, project: Path, tde: Callable[..., Run], monkeypatch: pytest.MonkeyPatch
) -> None:
    """In colour the table reads the same once its escape codes are taken out."""
    plain = tde("score", cwd=project).stdout
    monkeypatch.delenv("NO_COLOR")
    monkeypatch.setenv("FORCE_COLOR", "1")
    output.stdout.cache_clear()
    coloured = tde("score", cwd=project).stdout
    assert "\x1b[33mthin\x1b[0m" in coloured
    assert re.sub("\x1b\\[[0-9;]*m", "", coloured) == plain


def write_usecases(root: Path, weights: dict[str, str], usecases: dict[str, tuple[int, ...]]) -> None:
    """A project of its own: criteria with these weights (as YAML text), use cases with these values."""
    criteria = "".join(f"    {name}: {{weight: {weight}}}\n" for name, weight in weights.items())
    (root / "tde.yaml").write_text(
        f"name: Test\norganization: Test\nfocus_area: Test\nscoring:\n  criteria:\n{criteria}", encoding="utf-8"
    )
    (root / "usecases").mkdir(parents=True, exist_ok=True)
    for usecase_id, values in usecases.items():
        scores = ", ".join(f"{name}: {value}" for name, value in zip(weights, values, strict=True))
        (root / "usecases" / f"{usecase_id}.md").write_text(
            f"---\nid: {usecase_id}\ntitle: {usecase_id.title()}\nstatus: candidate\nscores: {{{scores}}}\n---\n",
            encoding="utf-8",
        )


def set_weights(root: Path, weights: dict[str, str]) -> None:
    """Give the criteria of ``tde.yaml`` these weights (YAML text), the others unchanged."""
    settings = root / "tde.yaml"
    text = settings.read_text(encoding="utf-8")
    for name, weight in weights.items():
        text, count = re.subn(rf"(\n    {name}:\n      weight: )\S+", rf"\g<1>{weight}", text)
        assert count == 1, name
    settings.write_text(text, encoding="utf-8")


def without_weights(ranked: list[dict[str, object]]) -> list[dict[str, object]]:
    """The ranking with every weight taken out: what should not change when weights scale alike."""
    result = json.loads(json.dumps(ranked))
    for item in result:
        for criterion in item["criteria"].values():
            del criterion["weight"]
        for challenger in item.get("robustness", {}).get("challengers", []):
            del challenger["weight"]
    return result  # type: ignore[no-any-return]


def test_huge_weights_rank_as_small_ones(project: Path, tde: Callable[..., Run]) -> None:
    """Weights near the largest float give the ranking, scores, contributions and robustness of small ones."""
    before = score_json(tde, project)
    set_weights(project, {"capacity": "4e307", "interest": "4e307", "impact": "2e307"})
    after = score_json(tde, project)
    assert without_weights(after) == without_weights(before)
    assert after[0]["criteria"]["capacity"]["weight"] == 4e307  # type: ignore[index]  # the user's weight
    for args in ([], ["--explain"], ["--format", "csv"]):
        run = tde("score", *args, cwd=project)
        assert run.exit_code == 0, run
        assert "nan" not in run.stdout and "inf" not in run.stdout


def test_1e308_weights_rank_as_weights_of_1(example: Path, tde: Callable[..., Run]) -> None:
    """In the example, capacity and interest at 1e308 rank the use cases as weights of 1 do."""
    set_weights(example, {"capacity": "1", "interest": "1", "partner_support": "0", "data_gap": "0", "impact": "0"})
    ones = score_json(tde, example)
    set_weights(example, {"capacity": "1e308", "interest": "1e308"})
    huge = score_json(tde, example)
    assert [(r["id"], r["rank"], r["tied"], r["score"]) for r in huge] == [
        (r["id"], r["rank"], r["tied"], r["score"]) for r in ones
    ]
    assert huge[0]["robustness"]["leaders"] == ones[0]["robustness"]["leaders"]  # type: ignore[index]
    for item in huge:
        criteria = item["criteria"]
        assert isinstance(criteria, dict)
        assert criteria["capacity"]["weight"] == 1e308
        assert sum(c["contribution"] for c in criteria.values()) == pytest.approx(item["score"], abs=1e-5)
    for fmt in ("table", "csv"):
        run = tde("score", "--format", fmt, cwd=example)
        assert run.exit_code == 0, run
        assert run.stderr == ""


def test_a_moved_weight_beyond_the_largest_float_is_null(tmp_path: Path, tde: Callable[..., Run]) -> None:
    """A weight whose +20 % move overflows still has its move checked; the moved weight reads null."""
    usecases = {"alpha": (4, 5), "beta": (5, 2)}
    write_usecases(tmp_path, {"capacity": "5", "interest": "2"}, usecases)
    small = score_json(tde, tmp_path)[0]["robustness"]["challengers"]  # type: ignore[index]
    assert small == [
        {"criterion": "capacity", "direction": "up", "weight": 6.0, "new_leaders": ["alpha", "beta"]},
        {"criterion": "interest", "direction": "down", "weight": 1.6, "new_leaders": ["beta"]},
    ]
    write_usecases(tmp_path, {"capacity": "1.5e308", "interest": "0.6e308"}, usecases)
    huge = score_json(tde, tmp_path)[0]["robustness"]["challengers"]  # type: ignore[index]
    assert huge == [
        {"criterion": "capacity", "direction": "up", "weight": None, "new_leaders": ["alpha", "beta"]},
        {"criterion": "interest", "direction": "down", "weight": 0.48e308, "new_leaders": ["beta"]},
    ]


@pytest.mark.parametrize(("weight", "shown"), [(".inf", ".inf"), (".nan", ".nan"), ("-.inf", "-.inf"), (".NaN", ".nan")])
def test_weights_that_are_no_finite_number_are_refused(
    weight: str, shown: str, project: Path, tde: Callable[..., Run]
) -> None:
    """A weight of .inf or .nan in tde.yaml is refused at its line, as tde validate reports it."""
    set_weights(project, {"interest": weight})
    problem = f"tde.yaml:13:15: error: a weight must be a finite number, not {shown} [invalid-value]\n"
    run = tde("score", cwd=project)
    assert run.exit_code == 2, run
    assert run.stdout == ""
    assert run.stderr == "error: tde.yaml cannot be used:\n" + problem
    check = tde("validate", cwd=project)
    assert check.exit_code == 2
    assert problem in check.stdout


def test_csv_has_weights_contributions_and_evidence(project: Path, tde: Callable[..., Run]) -> None:
    """Each CSV row carries what the JSON does: value, weight and contribution per criterion, the flags, the evidence."""
    import csv

    ranked = score_json(tde, project)
    run = tde("score", "--format", "csv", cwd=project)
    assert run.exit_code == 0, run
    rows = list(csv.DictReader(run.stdout.splitlines()))
    assert [row["id"] for row in rows] == [item["id"] for item in ranked]
    for row, item in zip(rows, ranked, strict=True):
        criteria = item["criteria"]
        evidence = item["evidence"]
        assert isinstance(criteria, dict) and isinstance(evidence, dict)
        for name, c in criteria.items():
            assert row[f"{name}_value"] == ("" if c["value"] is None else str(c["value"]))
            assert float(row[f"{name}_weight"]) == c["weight"]
            assert row[f"{name}_contribution"] == ("" if c["contribution"] is None else str(c["contribution"]))
        assert row["interviews"] == str(evidence["interviews"])
        assert row["stakeholder_types"] == " ".join(evidence["stakeholder_types"])
        assert row["community"] == str(evidence["community"])
        assert row["thin"] == str(item["thin"]).lower()
        assert row["incomplete"] == str(item["incomplete"]).lower()
        assert row["tied"] == str(item["tied"]).lower()
        assert row["missing"] == " ".join(item["missing"])  # type: ignore[arg-type]


@pytest.mark.parametrize("name", ["score", "rank", "id", "thin"])
def test_a_criterion_named_like_a_column_keeps_the_csv_unambiguous(
    name: str, project: Path, tde: Callable[..., Run]
) -> None:
    """A criterion called 'score' (or 'rank', 'id'...) gets columns of its own, the score column stays the score."""
    for path in [project / "tde.yaml", *(project / "usecases").glob("*.md")]:
        text = path.read_text(encoding="utf-8")
        path.write_text(text.replace("impact:", f"{name}:"), encoding="utf-8")
    run = tde("score", "--format", "csv", cwd=project)
    assert run.exit_code == 0, run
    header = run.stdout.splitlines()[0].split(",")
    assert len(header) == len(set(header))
    assert [f"{name}_value", f"{name}_weight", f"{name}_contribution"] == header[-10:-7]
    first = dict(zip(header, run.stdout.splitlines()[1].split(","), strict=True))
    assert (first["rank"], first["id"], first["score"]) == ("1", "realtime-arrivals", "3.4")
    assert first[f"{name}_value"] == "3"


def test_robustness_says_who_overtakes_or_ties_in_plain_words(
    narrow: None, tmp_path: Path, tde: Callable[..., Run]
) -> None:
    """Each move that unseats the leader reads as a sentence; moves with the same outcome share one."""
    write_usecases(
        tmp_path,
        {"capacity": "5", "interest": "4", "impact": "3"},
        {"alpha": (5, 4, 1), "beta": (1, 5, 5), "gamma": (4, 2, 5)},
    )
    run = tde("score", cwd=tmp_path)
    assert run.exit_code == 0, run
    said = " ".join(run.stdout[run.stdout.index("Robustness:") :].split())
    assert said == (
        "Robustness: alpha is first, but not robustly. If capacity weighed 20% less, alpha, beta "
        "and gamma would tie for first. If interest weighed 20% less or impact 20% more, gamma "
        "would rank first instead."
    )


def test_a_tied_top_is_named_as_a_tie(narrow: None, project: Path, tde: Callable[..., Run]) -> None:
    """Use cases level at the top are joined as a sentence joins names, and called a tie for first."""
    run = tde("score", "--status", "shortlisted", "--weight", "capacity=0.2", "--weight", "interest=0.2",
              "--weight", "impact=0", cwd=project)
    said = " ".join(run.stdout[run.stdout.index("Robustness:") :].split())
    assert said == (
        "Robustness: fare-capping and stop-accessibility tie for first; the weights do not "
        "separate them, so the team decides."
    )


def test_the_legend_says_where_the_contributions_are(narrow: None, project: Path, tde: Callable[..., Run]) -> None:
    """The table shows values; its legend points to --explain, JSON and CSV for the contributions."""
    plain = " ".join(tde("score", cwd=project).stdout.split())
    assert "Contributions (weight × value ÷ total weight): --explain, --format json or csv." in plain
    explained = " ".join(tde("score", "--explain", cwd=project).stdout.split())
    assert "Contributions (" not in explained
    assert "Score: capacity 2.00 + interest 0.80 + impact 0.60 = 3.40" in explained


def test_a_50_column_terminal_gives_each_long_id_its_own_line(
    example: Path, tde: Callable[..., Run], monkeypatch: pytest.MonkeyPatch
) -> None:
    """When no shown id fits beside the numbers, every id gets a line of its own: no crash."""
    monkeypatch.setenv("COLUMNS", "50")
    ranked = score_json(tde, example)
    run = tde("score", cwd=example)
    assert run.exit_code == 0, run
    lines = run.stdout.splitlines()
    assert lines[0].split()[:3] == ["#", "use", "case"]
    for item in ranked:
        rank = f"={item['rank']}" if item["tied"] else str(item["rank"])
        assert f"{rank:>2} {item['id']}" in lines, (item["id"], run.stdout)


def test_ids_all_too_long_for_80_columns_each_get_a_line(
    narrow: None, empty_project: Path, tde: Callable[..., Run]
) -> None:
    """At 80 columns, when every shown id is too long for the row, each is shown whole on its own line."""
    long_ids = [("a" * 79) + "x", ("b" * 79) + "y"]
    for long_id in long_ids:
        made = tde("new", "usecase", "A long one", "--id", long_id, cwd=empty_project)
        assert made.exit_code == 0, made
    made = tde("new", "usecase", "Short", "--id", "short", "--set", "status=parked", cwd=empty_project)
    assert made.exit_code == 0, made
    run = tde("score", "--status", "candidate", cwd=empty_project)
    assert run.exit_code == 0, run
    lines = run.stdout.splitlines()
    for long_id in long_ids:
        at = lines.index(f"=1 {long_id}")
        assert lines[at + 1].split() == [*["–"] * 6, "0/0/0", "thin"]
    assert "short" not in run.stdout
