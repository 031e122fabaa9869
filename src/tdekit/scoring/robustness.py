"""Whether the top of the ranking holds when any one weight moves by ±20 %, and what would unseat it.

A weighted score is an aid to the team's decision; this check says how much that aid rests on
the exact weights chosen. Each weight in turn is moved up and down by :data:`STEP` (never to or
from zero); a move *unseats* the leader when afterwards another use case ranks first, or ties
for first.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from tdekit.scoring.ranking import PRECISION, UseCaseScore, weighted_mean

#: How far each weight is moved, up and down, by the robustness check.
STEP = 0.2


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
    exact = [(round(weighted_mean(r.values, weights) or 0.0, PRECISION), r.id) for r in close]
    top = max(score for score, _ in exact)
    return tuple(sorted(i for score, i in exact if score == top))
