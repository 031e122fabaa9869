"""The one rule for scoring weights, whether they come from ``tde.yaml`` or from ``--weight``.

A criterion's weight is a finite number, zero or more; and at least one criterion must carry
weight, or no use case has a score to rank by. The settings model, ``tde validate``,
``tde score --weight`` and the ranking all ask here, so they cannot disagree about a weight.
Kept free of pydantic: the ranking runs from the cache without it.
"""

from __future__ import annotations

import math
from collections.abc import Iterable

__all__ = ["ALL_ZERO", "ALL_ZERO_CODE", "is_number", "weight_problem", "weights_problem"]

#: What is wrong when no criterion carries weight, and its code in ``tde validate``.
ALL_ZERO = "every scoring weight is zero; give at least one criterion a weight above 0"
ALL_ZERO_CODE = "all-weights-zero"


def is_number(value: object) -> bool:
    """True for an int or a float (a YAML ``true`` is not a number)."""
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def weight_problem(value: object) -> str | None:
    """Why ``value`` cannot be one criterion's weight, or None when it can."""
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return "a weight must be a number"
    if not math.isfinite(value):
        shown = ".nan" if math.isnan(value) else ("-" if value < 0 else "") + ".inf"
        return f"a weight must be a finite number, not {shown}"
    if value < 0:
        return "a weight cannot be negative"
    return None


def weights_problem(weights: Iterable[object]) -> str | None:
    """Why a set of weights, each valid on its own, cannot rank anything; None when it can."""
    for weight in weights:
        if isinstance(weight, (int, float)) and not isinstance(weight, bool) and weight > 0:
            return None
    return ALL_ZERO
