"""Properties of ``tde score`` on generated projects, through the real CLI."""

from __future__ import annotations

import json
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import Run

CRITERIA = ("capacity", "interest", "impact")
LOW, HIGH = 1, 5

weights_st = st.lists(st.integers(0, 20), min_size=3, max_size=3).filter(any).map(
    lambda ks: [k / 20 for k in ks]
)
values_st = st.lists(st.none() | st.integers(LOW, HIGH), min_size=3, max_size=3)
usecases_st = st.lists(values_st, min_size=2, max_size=6)


def write_project(root: Path, weights: list[float], usecases: list[list[int | None]]) -> None:
    criteria = "".join(f"    {n}:\n      weight: {w!r}\n" for n, w in zip(CRITERIA, weights, strict=True))
    (root / "tde.yaml").write_text(
        "name: Generated\norganization: Test\nfocus_area: Ranking\n"
        f"scoring:\n  scale: [{LOW}, {HIGH}]\n  criteria:\n{criteria}",
        encoding="utf-8",
    )
    folder = root / "usecases"
    folder.mkdir(exist_ok=True)
    for index, values in enumerate(usecases):
        scores = {n: v for n, v in zip(CRITERIA, values, strict=True) if v is not None}
        (folder / f"uc-{index}.md").write_text(
            f"---\nid: uc-{index}\ntitle: Use case {index}\nstatus: candidate\n"
            f"scores: {json.dumps(scores)}\n---\n",
            encoding="utf-8",
        )


def ranking(tde: Callable[..., Run], root: Path) -> list[dict[str, Any]]:
    run = tde("--project", str(root), "score", "--format", "json")
    assert run.exit_code == 0, run
    assert run.stderr == ""
    result: list[dict[str, Any]] = json.loads(run.stdout)
    return result


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(weights=weights_st, usecases=usecases_st, data=st.data())
def test_a_higher_value_never_lowers_the_rank(
    weights: list[float], usecases: list[list[int | None]], data: st.DataObject, tde: Callable[..., Run]
) -> None:
    """Adding a point to one criterion of one use case never lowers its rank."""
    raisable = [
        (i, j) for i, values in enumerate(usecases) for j, v in enumerate(values)
        if v is not None and v < HIGH
    ]
    if not raisable:
        return
    i, j = data.draw(st.sampled_from(raisable))
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder)
        write_project(root, weights, usecases)
        before = {r["id"]: r for r in ranking(tde, root)}
        raised = [list(v) for v in usecases]
        value = raised[i][j]
        assert value is not None
        raised[i][j] = value + 1
        write_project(root, weights, raised)
        after = {r["id"]: r for r in ranking(tde, root)}
    assert after[f"uc-{i}"]["rank"] <= before[f"uc-{i}"]["rank"]


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(weights=weights_st, usecases=usecases_st)
def test_ranks_are_competition_ranks(
    weights: list[float], usecases: list[list[int | None]], tde: Callable[..., Run]
) -> None:
    """Ranks count the use cases strictly ahead; tied ones share one; contributions sum to the score."""
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder)
        write_project(root, weights, usecases)
        ranked = ranking(tde, root)
    assert len(ranked) == len(usecases)
    for position, item in enumerate(ranked):
        ahead = sum(1 for other in ranked if other["rank"] < item["rank"])
        assert item["rank"] == ahead + 1
        same = sum(1 for other in ranked if other["rank"] == item["rank"])
        assert item["tied"] is (same > 1)
        assert position == 0 or ranked[position - 1]["rank"] <= item["rank"]
        if item["score"] is not None:
            parts = [c["contribution"] for c in item["criteria"].values() if c["contribution"] is not None]
            assert abs(sum(parts) - item["score"]) < 1e-5
            assert LOW - 1e-9 <= item["score"] <= HIGH + 1e-9


@st.composite
def close_race(draw: st.DrawFn) -> tuple[list[float], list[list[int | None]]]:
    """Two use cases that swap a high and a low value between two nearly equal weights."""
    k = draw(st.integers(2, 20))
    weights = [k / 20, (k - 1) / 20, draw(st.integers(0, 20)) / 20]
    low = draw(st.integers(LOW, HIGH - 1))
    high = draw(st.integers(low + 1, HIGH))
    third = draw(st.none() | st.integers(LOW, HIGH))
    others = draw(st.lists(values_st, max_size=3))
    return weights, [[high, low, third], [low, high, third], *others]


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(case=close_race() | st.tuples(weights_st, usecases_st))
def test_robustness_agrees_with_scoring_again(
    case: tuple[list[float], list[list[int | None]]], tde: Callable[..., Run]
) -> None:
    """Each move the check names, and only those, puts someone else first when scored for real."""
    weights, usecases = case
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder)
        write_project(root, weights, usecases)
        ranked = ranking(tde, root)
        check = ranked[0]["robustness"]
        if len(check["leaders"]) != 1:
            assert check["holds"] is False and check["challengers"] == []
            return
        named = {(c["criterion"], c["direction"]): c["new_leaders"] for c in check["challengers"]}
        for name, weight in zip(CRITERIA, weights, strict=True):
            if weight == 0:
                continue
            for direction, factor in (("up", 1.2), ("down", 0.8)):
                moved = weight * factor
                run = tde("--project", str(root), "score", "--format", "json", "--weight", f"{name}={moved!r}")
                again = json.loads(run.stdout)
                first = [r["id"] for r in again if r["rank"] == 1 and r["score"] is not None]
                if first == check["leaders"]:
                    assert (name, direction) not in named
                else:
                    assert named[(name, direction)] == first
    assert check["holds"] is not bool(named)
