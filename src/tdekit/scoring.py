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
* **Evidence**: every interview the use case lists in ``evidence`` or that lists it in
  ``usecases``; a use case resting on at most one conversation is *thinly evidenced*.
* **Robustness**: whether the top-ranked use case stays first, alone, when any one weight moves
  by ±20 %, and which move would unseat it.

Use case files that cannot be scored (they fail their schema, repeat an id, or give scores
outside the scale or for criteria that ``tde.yaml`` does not define) are left out of the ranking;
:func:`unscorable` lists them.
"""

from __future__ import annotations

import difflib
import itertools
import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from tdekit.errors import SettingsError, UsageError
from tdekit.kinds import COMMUNITY_TYPES, SETTINGS_FILE, USECASE_STATUSES
from tdekit.project import Project, Record
from tdekit.weights import ALL_ZERO_CODE, weight_problem, weights_problem

#: Scores are compared rounded to this many decimals.
PRECISION = 9
#: How far each weight is moved, up and down, by the robustness check.
STEP = 0.2
#: Stakeholder types that count as residents or community groups.

HOW_MISSING_COUNTS = (
    "A missing score (–) is never counted as zero: the score is the weighted mean over the "
    "criteria that are scored, and a use case missing a weighted criterion is incomplete (*) and "
    "ranked after all complete ones; one with no scores at all ranks last."
)


@dataclass(frozen=True)
class CriterionScore:
    """One criterion of one use case: its value (None when missing), weight and contribution."""

    name: str
    value: int | None
    weight: float
    contribution: float | None


@dataclass(frozen=True)
class Evidence:
    """The interviews behind a use case.

    ``community`` counts interviews with residents or community groups; ``thin`` is True when
    the use case rests on at most one interview.
    """

    interviews: tuple[str, ...]
    stakeholder_types: tuple[str, ...]
    community: int
    thin: bool


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

    @property
    def incomplete(self) -> bool:
        """True when a criterion that carries weight has no score."""
        return any(c.value is None and c.weight > 0 for c in self.criteria)


@dataclass(frozen=True)
class Challenger:
    """One weight move that unseats the leader, and who leads after it.

    ``direction`` is +1 (the weight rises by the step) or -1 (it falls); ``weight`` is the
    moved weight (None when it is beyond the largest float). ``new_leaders`` holds every use
    case ranked first after the move: several when the move leaves a tie at the top (which may
    include the old leader).
    """

    criterion: str
    direction: int
    weight: float | None
    new_leaders: tuple[str, ...]


@dataclass(frozen=True)
class Robustness:
    """Whether the top of the ranking holds when any one weight moves by ``step``.

    ``leaders`` are the use cases ranked first (more than one when the top is tied, none when
    nothing is scored). ``holds`` is True only for a single leader that stays first, alone,
    under every move; ``challengers`` are the moves that unseat it.
    """

    leaders: tuple[str, ...]
    step: float
    holds: bool
    challengers: tuple[Challenger, ...]

    @property
    def leader(self) -> str | None:
        """The single use case ranked first, or None when the top is tied or empty."""
        return self.leaders[0] if len(self.leaders) == 1 else None


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


def parse_weights(specs: Sequence[str], criteria: Sequence[str]) -> dict[str, float]:
    """Read ``NAME=W`` options into weights; refuse unknown names and bad numbers (exit 2)."""
    weights: dict[str, float] = {}
    for spec in specs:
        name, sep, text = spec.partition("=")
        name, text = name.strip(), text.strip()
        if not sep or not name:
            raise UsageError(f"--weight {spec!r}: write it as NAME=WEIGHT, e.g. --weight capacity=0.4")
        try:
            value = float(text)
        except ValueError:
            _check_weight(f"--weight {spec!r}", name, 0.0, criteria)
            raise UsageError(f"--weight {spec!r}: '{text}' is not a number") from None
        weights[name] = _check_weight(f"--weight {spec!r}", name, value, criteria)
    return weights


def _check_weight(where: str, name: str, value: float, criteria: Sequence[str]) -> float:
    if name not in criteria:
        guess = difflib.get_close_matches(name, list(criteria), n=1)
        hint = f"did you mean '{guess[0]}'?" if guess else f"the criteria are: {', '.join(criteria)}"
        raise UsageError(f"{where}: '{name}' is not a criterion in tde.yaml; {hint}")
    problem = weight_problem(value)
    if problem is not None:
        raise UsageError(f"{where}: {problem}")
    return float(value)


def effective_weights(project: Project, overrides: Mapping[str, float] | None) -> dict[str, float]:
    """The weights of ``tde.yaml`` with ``overrides`` applied; refuses bad ones (exit 2).

    With no weight above zero, the refusal points where ``tde validate`` does: at the line of
    ``tde.yaml`` it reports, or at ``--weight`` when the options made them all zero.
    """
    criteria = criteria_of(project)
    weights = {name: float(spec["weight"]) for name, spec in criteria.items()}
    for name, value in (overrides or {}).items():
        weights[name] = _check_weight(f"weight {name}", name, value, list(criteria))
    problem = weights_problem(weights.values())
    if problem is not None:
        if overrides:
            raise UsageError(f"--weight: {problem}")
        located = next((p for p in project.problems if p.code == ALL_ZERO_CODE), None)
        where = located.where() if located is not None else SETTINGS_FILE
        raise SettingsError(f"{where}: {problem}")
    return weights


# --- evidence ------------------------------------------------------------------------------


def _ids(value: Any) -> list[str]:
    return [v for v in value if isinstance(v, str)] if isinstance(value, list) else []


def evidence_for(project: Project, usecases: Iterable[str] | None = None) -> dict[str, Evidence]:
    """Evidence of use case ids: the interviews each lists and those that list it.

    Every id that a use case or an interview names, unless ``usecases`` says which ones.
    """
    # an interview file with problems still counts, but only a checked type is trusted
    types: dict[str, str | None] = {}
    backing: dict[str, set[str]] = {}
    for interview in project.of_kind("interview"):
        kind = (interview.data or {}).get("stakeholder_type")
        types[interview.id] = kind if isinstance(kind, str) else None
        for usecase_id in _ids(interview.get("usecases")):
            backing.setdefault(usecase_id, set()).add(interview.id)
    for record in project.of_kind("usecase"):
        listed = [i for i in _ids(record.get("evidence")) if i in types]
        backing.setdefault(record.id, set()).update(listed)
    wanted = backing if usecases is None else usecases
    result: dict[str, Evidence] = {}
    for usecase_id in wanted:
        ids = sorted(backing.get(usecase_id, ()))
        known = [t for t in map(types.__getitem__, ids) if t is not None]
        result[usecase_id] = Evidence(
            interviews=tuple(ids),
            stakeholder_types=tuple(sorted(set(known))),
            community=sum(1 for t in known if t in COMMUNITY_TYPES),
            thin=len(ids) <= 1,
        )
    return result


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
    if record.data is None:
        return "the file has problems"
    if by_id.get(record.id) is not record:
        return f"the id '{record.id}' is used by another record"
    for name, value in (record.data.get("scores") or {}).items():
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


def _weighted(values: Mapping[str, int | None], weights: Mapping[str, float]) -> float | None:
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
        guess = difflib.get_close_matches(status, USECASE_STATUSES, n=1)
        hint = f"did you mean '{guess[0]}'? " if guess else ""
        raise UsageError(f"'{status}' is not a use case status; {hint}choose one of: {', '.join(USECASE_STATUSES)}")
    chosen = effective_weights(project, weights)
    names = list(chosen)
    by_id = {
        r.id: r for r, reason in _check_usecases(project)
        if reason is None and (status is None or r.get("status") == status)
    }
    values: dict[str, dict[str, int | None]] = {}
    for usecase_id, record in by_id.items():
        scores = (record.data or {}).get("scores") or {}
        values[usecase_id] = {n: scores.get(n) for n in names}
    evidence = evidence_for(project, by_id)
    result: list[UseCaseScore] = []
    for usecase_id, parts, rank, tied in _order(values.items(), chosen):
        record = by_id[usecase_id]
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
                title=record.title,
                status=str(record.get("status")),
                rank=rank,
                tied=tied,
                score=_added(parts),
                criteria=criteria,
                missing=tuple(n for n, v in scored.items() if v is None),
                evidence=evidence[usecase_id],
            )
        )
    return result


# --- robustness ----------------------------------------------------------------------------


def check_robustness(scores: Sequence[UseCaseScore], step: float = STEP) -> Robustness:
    """Whether the top of ``scores`` holds when any one weight moves up or down by ``step``."""
    leaders = tuple(s.id for s in scores if s.rank == 1 and s.score is not None)
    if len(leaders) != 1:
        return Robustness(leaders=leaders, step=step, holds=False, challengers=())
    leader = scores[0]
    weights = {c.name: c.weight for c in leader.criteria}
    # Moved and summed as shares of the largest weight, so that huge weights cannot overflow;
    # the ranking does not change when every weight is scaled alike.
    largest = max(weights.values())
    scaled = {name: weight / largest for name, weight in weights.items()}
    # A move never takes a weight to or from zero, so no use case changes group (complete,
    # incomplete, unscored): only the leader's group can contest the lead.
    rivals = [
        _Rival.of(s, scaled) for s in scores if s.score is not None and s.incomplete == leader.incomplete
    ]
    challengers: list[Challenger] = []
    for name, weight in weights.items():
        if weight <= 0:
            continue  # a zero weight moves nowhere
        for direction in (+1, -1):
            moved = dict(scaled)
            moved[name] = scaled[name] * (1 + direction * step)
            first = _first(rivals, moved, name, moved[name] - scaled[name])
            if first != (leader.id,):
                shifted = weight * (1 + direction * step)
                challengers.append(Challenger(name, direction, shifted if math.isfinite(shifted) else None, first))
    return Robustness(leaders=leaders, step=step, holds=not challengers, challengers=tuple(challengers))


@dataclass(frozen=True)
class _Rival:
    """A use case that could lead: its values, and its weighted sum and weight scored."""

    id: str
    values: dict[str, int | None]
    weighted: float
    total: float

    @classmethod
    def of(cls, score: UseCaseScore, weights: Mapping[str, float]) -> _Rival:
        values = {c.name: c.value for c in score.criteria}
        scored = {name: value for name, value in values.items() if value is not None}
        return cls(
            score.id,
            values,
            sum(weights[name] * value for name, value in scored.items()),
            sum(weights[name] for name in scored),
        )


def _first(rivals: Sequence[_Rival], weights: Mapping[str, float], name: str, change: float) -> tuple[str, ...]:
    """The ids ranked first, in id order, once the weight of ``name`` has moved by ``change``.

    Each rival's new score is estimated from its sums; only those within a hair of the best
    estimate are scored exactly, the way the ranking scores them (and any whose estimate is
    no number at all, so that the leader is always among those scored).
    """
    estimates = []
    for rival in rivals:
        value = rival.values[name]
        weighted, total = rival.weighted, rival.total
        if value is not None:
            weighted, total = weighted + change * value, total + change
        estimates.append(weighted / total if total > 0 else math.nan)
    best = max((e for e in estimates if not math.isnan(e)), default=math.nan)
    close = [r for r, estimate in zip(rivals, estimates, strict=True) if not estimate < best - 1e-6]
    exact = [(round(_weighted(r.values, weights) or 0.0, PRECISION), r.id) for r in close]
    top = max(score for score, _ in exact)
    return tuple(sorted(i for score, i in exact if score == top))


# --- words ---------------------------------------------------------------------------------


def label(name: str) -> str:
    """A criterion name as words: ``partner_support`` -> ``partner support``."""
    return name.replace("_", " ")


def _number(value: float) -> str:
    return f"{value:.2f}"


def join(items: Sequence[str], last: str = "and") -> str:
    """Words joined as a sentence joins them: ``a``, ``a and b``, ``a, b and c``."""
    if len(items) <= 2:
        return f" {last} ".join(items)
    return ", ".join(items[:-1]) + f" {last} " + items[-1]


def explain(score: UseCaseScore, scale: tuple[int, int] | None = None) -> str:
    """A plain-language paragraph about one use case's score, fit to paste into an email.

    It says where the use case ranks, its strongest criteria and its weakest, what is not
    scored yet, and the conversations behind it.
    """
    parts: list[str] = []
    if score.score is None:
        parts.append(f"{score.title} ({score.id}) has no weighted scores yet, so it ranks last.")
    else:
        rank = f"shares rank {score.rank}" if score.tied else f"ranks {score.rank}"
        out_of = f" out of {scale[1]}" if scale else ""
        parts.append(f"{score.title} ({score.id}) {rank} with {_number(score.score)}{out_of}.")
        parts.append(_strengths([c for c in score.criteria if c.value is not None], bool(score.missing)))
    if score.missing:
        names = join([label(n) for n in score.missing])
        if score.score is not None and score.incomplete:
            parts.append(f"It has no score yet for {names}, so it ranks after the use cases scored on every criterion.")
        else:
            parts.append(f"It has no score yet for {names}.")
    parts.append(_evidence_sentence(score.evidence))
    return " ".join(parts)


def _strengths(scored: list[CriterionScore], partial: bool) -> str:
    values = [c.value for c in scored if c.value is not None]
    high, low = max(values), min(values)
    if high == low:
        return f"It scores {high} on {'each criterion scored so far' if partial else 'every criterion'}."
    # strongest: the highest values, the heavier weight first where values are equal
    ranked = sorted(scored, key=lambda c: (-(c.value or 0), -c.weight))
    strongest = [c for c in ranked[:2] if c.value != low]
    weakest = [c for c in scored if c.value == low]
    best = join([f"{label(c.name)} ({c.value})" for c in strongest])
    worst = join([label(c.name) for c in weakest])
    return (
        f"Its strongest {'criteria are' if len(strongest) > 1 else 'criterion is'} {best}; "
        f"its weakest {'are' if len(weakest) > 1 else 'is'} {worst} ({low})."
    )


def _evidence_sentence(ev: Evidence) -> str:
    count = len(ev.interviews)
    if count == 0:
        return "No interview backs it yet, so its evidence is thin."
    types = join([label(t) for t in ev.stakeholder_types]) or "stakeholder type not recorded"
    if count == 1:
        return f"It rests on a single conversation ({types}), which is thin evidence."
    if ev.community == count:
        community = "all of them with residents or community groups"
    elif ev.community:
        community = f"{ev.community} of them with residents or community groups"
    else:
        community = "none of them with residents or community groups"
    return f"It rests on {count} conversations ({types}), {community}."


def breakdown(score: UseCaseScore) -> str:
    """How the score adds up: ``capacity 0.75 + interest 1.25 + ... = 4.20``."""
    terms = [f"{label(c.name)} {_number(c.contribution)}" for c in score.criteria if c.contribution is not None]
    if score.score is None or not terms:
        return "no weighted scores yet"
    return " + ".join(terms) + f" = {_number(score.score)}"
