"""The one rule for scoring weights, whether they come from ``tde.yaml`` or from ``--weight``.

A criterion's weight is a finite number, zero or more; and at least one criterion must carry
weight, or no use case has a score to rank by. The settings model, ``tde validate``,
``tde score --weight`` and the ranking all ask here, so they cannot disagree about a weight.
``tde validate`` reports all-zero weights with :func:`check_some_weight`.
Kept free of pydantic: the ranking runs from the cache without it.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from tdekit.records.document import Document

__all__ = ["ALL_ZERO", "ALL_ZERO_CODE", "check_some_weight", "is_number", "weight_problem", "weights_problem"]

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


def check_some_weight(doc: Document) -> None:
    """At least one criterion of ``tde.yaml`` (``doc``) must carry weight: else an error at the
    criteria, while the settings stay usable for ``tde score --weight``."""
    scoring = (doc.data or {}).get("scoring")
    criteria = scoring.get("criteria") if isinstance(scoring, dict) else None
    if not isinstance(criteria, dict) or not criteria:
        return
    weights = [c.get("weight") if isinstance(c, dict) else None for c in criteria.values()]
    if any(weight_problem(w) is not None for w in weights):
        return  # each bad weight is reported at its own line
    problem = weights_problem(weights)
    if problem is not None:
        doc.problems.append(doc.problem(("scoring", "criteria"), "error", ALL_ZERO_CODE, problem, key=True))
