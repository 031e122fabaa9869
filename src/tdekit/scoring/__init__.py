"""Ranking use cases by weighted score, with the evidence behind each and a robustness check.

The names below are the scoring API; :mod:`~tdekit.scoring.ranking` explains the method.
"""

from __future__ import annotations

from tdekit.scoring.ranking import (
    HOW_MISSING_COUNTS,
    PRECISION,
    STEP,
    Challenger,
    CriterionScore,
    Evidence,
    Robustness,
    UseCaseScore,
    breakdown,
    check_robustness,
    criteria_of,
    effective_weights,
    evidence_for,
    explain,
    join,
    label,
    parse_weights,
    scale_of,
    score_usecases,
    unscorable,
)

__all__ = [
    "HOW_MISSING_COUNTS", "PRECISION", "STEP", "Challenger", "CriterionScore", "Evidence",
    "Robustness", "UseCaseScore", "breakdown", "check_robustness", "criteria_of",
    "effective_weights", "evidence_for", "explain", "join", "label", "parse_weights", "scale_of",
    "score_usecases", "unscorable",
]
