"""Ranking use cases by weighted score, with the evidence behind each and a robustness check.

The names below are the scoring API: :mod:`~tdekit.scoring.ranking` explains the method,
:mod:`~tdekit.scoring.evidence` the evidence and :mod:`~tdekit.scoring.robustness` the check.
What they return are numbers and reasons; the words for people are the command line's
(:mod:`tdekit.cli.explaining`).
"""

from __future__ import annotations

from tdekit.scoring.evidence import Evidence, evidence_for
from tdekit.scoring.ranking import (
    PRECISION,
    CriterionScore,
    UseCaseScore,
    WeightError,
    ZeroWeights,
    check_weight,
    criteria_of,
    effective_weights,
    scale_of,
    score_usecases,
    unscorable,
    weighted_mean,
)
from tdekit.scoring.robustness import STEP, Challenger, Robustness, check_robustness

__all__ = [
    "PRECISION", "STEP", "Challenger", "CriterionScore", "Evidence", "Robustness", "UseCaseScore",
    "WeightError", "ZeroWeights", "check_robustness", "check_weight", "criteria_of", "effective_weights",
    "evidence_for", "scale_of", "score_usecases", "unscorable", "weighted_mean",
]
