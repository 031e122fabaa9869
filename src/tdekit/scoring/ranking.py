"""Rank use cases by weighted score, with the evidence behind each and a robustness check.

Step 3 of TDE picks the one use case with the most potential, weighing the team's capacity
against stakeholder interest. The method gives no formula; a weighted score is an aid to that
decision, never the decision, so every number here comes with what it is made of:

* **Score**: the weighted mean of the use case's criterion values, on the configured scale.
  Each criterion's *contribution* is ``weight × value ÷ (sum of the weights of the scored
  criteria)``, so the contributions add up to the score. Any finite weights will do, however
  large: they are divided by the largest before they are added.
* **Missing scores** are never counted as zero. The score is the weighted mean over the criteria
  that are scored, and a use case that lacks a criterion carrying weight is *incomplete*: it
  ranks after every complete use case (its mean rests on less, so it may not outrank one that was
  judged on everything). A use case with no weighted score at all has score None and ranks last.
* **Ties** share a rank (standard competition ranking: 1, 1, 3); scores are compared rounded to
  :data:`PRECISION` decimals so float noise does not split a tie.
* **Evidence** (:mod:`tdekit.scoring.evidence`): the interviews behind each use case.
* **Robustness** (:mod:`tdekit.scoring.robustness`): whether the top-ranked use case stays
  first, alone, when any one weight moves by ±20 %, and which move would unseat it.

Scores are numbers and reasons; the sentences that explain them to people are the command
line's (:mod:`tdekit.cli.explaining`).

Use case files that cannot be scored (they fail their schema, repeat an id, or give scores
outside the scale or for criteria that ``tde.yaml`` does not define) are left out of the ranking;
:func:`unscorable` lists them.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from tdekit.errors import SettingsError, UsageError
from tdekit.records.kinds import SETTINGS_FILE, USECASE_STATUSES
from tdekit.records.models import UseCase
from tdekit.records.record import Project, Record
from tdekit.records.weights import ALL_ZERO_CODE, weight_problem, weights_problem
from tdekit.scoring.evidence import Evidence, evidence_for
from tdekit.text import closest

#: Scores are compared rounded to this many decimals.
PRECISION = 9


@dataclass(frozen=True)
class CriterionScore:
    """One criterion of one use case: its value (None when missing), weight and contribution."""

    name: str
    value: int | None
    weight: float
    contribution: float | None


@dataclass(frozen=True)
class UseCaseScore:
    """A use case's place in the ranking and everything its score is made of."""

    id: str
    title: str
    status: str
    rank: int
    tied: bool
    score: float | None
    criteria: tuple[CriterionScore, ...]
    missing: tuple[str, ...]
    evidence: Evidence
    #: A final plan is for it: the use case has had its cycle (the backlog is the rest).
    done: bool = False

    @property
    def incomplete(self) -> bool:
        """True when a criterion that carries weight has no score."""
        return any(c.value is None and c.weight > 0 for c in self.criteria)


# --- weights -------------------------------------------------------------------------------


def criteria_of(project: Project) -> dict[str, dict[str, Any]]:
    """The scoring criteria of ``tde.yaml``, in their order: name -> {weight, meaning}."""
    settings = project.require_settings()
    criteria: dict[str, dict[str, Any]] = settings["scoring"]["criteria"]
    return criteria


def scale_of(project: Project) -> tuple[int, int]:
    """The lowest and highest score of ``tde.yaml``'s scale."""
    low, high = project.require_settings()["scoring"].get("scale", (1, 5))
    return int(low), int(high)


class WeightError(UsageError):
    """A weight that cannot be used: ``name`` and ``reason`` say which and why.

    The message names the weight as the core knows it; the command line says it again in the
    words of its option.
    """

    def __init__(self, name: str, reason: str) -> None:
        super().__init__(f"weight {name}: {reason}")
        self.name = name
        self.reason = reason


class ZeroWeights(UsageError):
    """The weights given for one run leave no criterion carrying weight; ``reason`` says so in
    the words of :mod:`tdekit.records.weights`, and the command line names its option."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


def check_weight(name: str, value: object, criteria: Sequence[str]) -> float:
    """``value`` as the weight of criterion ``name``; a :class:`WeightError` when it cannot be."""
    if name not in criteria:
        guess = closest(name, criteria)
        hint = f"did you mean '{guess}'?" if guess else f"the criteria are: {', '.join(criteria)}"
        raise WeightError(name, f"'{name}' is not a criterion in tde.yaml; {hint}")
    problem = weight_problem(value)
    if problem is not None:
        raise WeightError(name, problem)
    assert isinstance(value, (int, float))
    return float(value)


def effective_weights(project: Project, overrides: Mapping[str, float] | None) -> dict[str, float]:
    """The weights of ``tde.yaml`` with ``overrides`` applied; refuses bad ones (exit 2).

    With no weight above zero, the refusal points where ``tde validate`` does: at the line of
    ``tde.yaml`` it reports, or at ``--weight`` when the options made them all zero.
    """
    criteria = criteria_of(project)
    weights = {name: float(spec["weight"]) for name, spec in criteria.items()}
    for name, value in (overrides or {}).items():
        weights[name] = check_weight(name, value, list(criteria))
    problem = weights_problem(weights.values())
    if problem is not None:
        if overrides:
            raise ZeroWeights(problem)
        located = next((p for p in project.problems if p.code == ALL_ZERO_CODE), None)
        where = located.where() if located is not None else SETTINGS_FILE
        raise SettingsError(f"{where}: {problem}")
    return weights


# --- scoring -------------------------------------------------------------------------------


def unscorable(project: Project) -> dict[str, str]:
    """Use case files left out of the ranking: their path -> why."""
    return {r.rel: reason for r, reason in _check_usecases(project) if reason is not None}


def _check_usecases(project: Project) -> list[tuple[Record, str | None]]:
    """Every use case record with None when it can be scored, else the reason it cannot."""
    criteria = criteria_of(project)
    low, high = scale_of(project)
    by_id = project.by_id()
    checked: list[tuple[Record, str | None]] = []
    for record in project.of_kind("usecase"):
        checked.append((record, _reason(record, by_id, criteria, low, high)))
    return checked


def _reason(
    record: Record, by_id: Mapping[str, Record], criteria: Mapping[str, Any], low: int, high: int
) -> str | None:
    usecase = record.values_as(UseCase)
    if usecase is None:
        return "the file has problems"
    if by_id.get(record.id) is not record:
        return f"the id '{record.id}' is used by another record"
    for name, value in usecase.scores.items():
        if name not in criteria:
            return f"it scores '{name}', which is not a criterion in tde.yaml"
        if not low <= value <= high:
            return f"its {name} score {value} is outside the scale {low}–{high}"
    return None


def _contributions(values: Mapping[str, int | None], weights: Mapping[str, float]) -> dict[str, float] | None:
    """Each scored criterion's part of the weighted mean; they add up to the score.

    None when no scored criterion carries weight. The weights are first divided by the largest
    scored one: the weighted mean does not change when every weight is scaled alike, and so any
    finite weights, however large or small, add up to a finite number.
    """
    scored = {n: weights[n] for n, v in values.items() if v is not None}
    largest = max(scored.values(), default=0.0)
    if largest <= 0:
        return None
    scaled = {n: w / largest for n, w in scored.items()}
    total = sum(scaled.values())  # at least 1, at most the number of criteria
    return {n: w / total * v for n, w in scaled.items() if (v := values[n]) is not None}


def weighted_mean(values: Mapping[str, int | None], weights: Mapping[str, float]) -> float | None:
    """The weighted mean over the scored criteria; None when none of them carries weight."""
    return _added(_contributions(values, weights))


def _added(parts: Mapping[str, float] | None) -> float | None:
    """The score that contributions add up to."""
    return None if parts is None else sum(parts.values())


def _group(values: Mapping[str, int | None], weights: Mapping[str, float], score: float | None) -> int:
    """0 scored on every weighted criterion, 1 incomplete, 2 no weighted score at all."""
    if score is None:
        return 2
    return 1 if any(v is None and weights[n] > 0 for n, v in values.items()) else 0


def _order(
    entries: Iterable[tuple[str, Mapping[str, int | None]]], weights: Mapping[str, float]
) -> list[tuple[str, dict[str, float] | None, int, bool]]:
    """(id, contributions, rank, tied) in rank order: complete, then incomplete, then unscored."""
    keyed: list[tuple[tuple[int, float], str, dict[str, float] | None]] = []
    for usecase_id, values in entries:
        parts = _contributions(values, weights)
        score = _added(parts)
        group = _group(values, weights, score)
        keyed.append(((group, 0.0 if score is None else -round(score, PRECISION)), usecase_id, parts))
    keyed.sort(key=lambda item: (item[0], item[1]))
    ordered: list[tuple[str, dict[str, float] | None, int, bool]] = []
    for _, same in itertools.groupby(keyed, key=lambda item: item[0]):
        tie = list(same)
        rank = len(ordered) + 1
        ordered.extend((usecase_id, parts, rank, len(tie) > 1) for _, usecase_id, parts in tie)
    return ordered


def score_usecases(
    project: Project, weights: dict[str, float] | None = None, status: str | None = None
) -> list[UseCaseScore]:
    """Every scorable use case (with ``status``, if given) scored and in rank order.

    ``weights`` override those of ``tde.yaml`` criterion by criterion.
    """
    if status is not None and status not in USECASE_STATUSES:
        guess = closest(status, USECASE_STATUSES)
        hint = f"did you mean '{guess}'? " if guess else ""
        raise UsageError(f"'{status}' is not a use case status; {hint}choose one of: {', '.join(USECASE_STATUSES)}")
    chosen = effective_weights(project, weights)
    names = list(chosen)
    by_id: dict[str, UseCase] = {}
    for record, reason in _check_usecases(project):
        usecase = record.values_as(UseCase)
        if reason is None and usecase is not None and status in (None, usecase.status):
            by_id[record.id] = usecase
    values = {usecase_id: {n: u.scores.get(n) for n in names} for usecase_id, u in by_id.items()}
    evidence = evidence_for(project, by_id)
    done = final_plans(project)
    result: list[UseCaseScore] = []
    for usecase_id, parts, rank, tied in _order(values.items(), chosen):
        usecase = by_id[usecase_id]
        scored = values[usecase_id]
        criteria = tuple(
            CriterionScore(
                name=n, value=v, weight=chosen[n], contribution=None if parts is None else parts.get(n)
            )
            for n, v in scored.items()
        )
        result.append(
            UseCaseScore(
                id=usecase_id,
                title=usecase.title,
                status=usecase.status,
                rank=rank,
                tied=tied,
                score=_added(parts),
                criteria=criteria,
                missing=tuple(n for n, v in scored.items() if v is None),
                evidence=evidence[usecase_id],
                done=usecase_id in done,
            )
        )
    return result


def final_plans(project: Project) -> dict[str, str]:
    """Use case id -> the id of a final plan for it: the use cases whose cycle is done."""
    return {
        str(p.get("usecase")): p.id
        for p in project.of_kind("plan")
        if p.get("status") == "final" and isinstance(p.get("usecase"), str)
    }


