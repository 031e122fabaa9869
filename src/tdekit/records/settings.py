"""The border for ``tde.yaml``: its pydantic model, checked once when the file changes.

The project's settings are passed around as the plain values this model returns.
"""

from __future__ import annotations

import math
from typing import Annotated, Any

from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    StrictFloat,
    StrictInt,
    StrictStr,
    model_validator,
)

from tdekit.records.models import Slug, Text


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


def _finite(value: Any) -> Any:
    """Refuse ``.inf`` and ``.nan`` as a weight, before the check that it is not negative."""
    if isinstance(value, float) and not math.isfinite(value):
        shown = ".nan" if math.isnan(value) else ("-" if value < 0 else "") + ".inf"
        raise ValueError(f"a weight must be a finite number, not {shown}")
    return value


class Criterion(_Strict):
    weight: Annotated[StrictFloat | StrictInt, BeforeValidator(_finite), Field(ge=0)]
    meaning: Text | None = None


class Scoring(_Strict):
    scale: tuple[StrictInt, StrictInt] = (1, 5)
    criteria: dict[Annotated[StrictStr, Field(pattern=r"^[a-z][a-z0-9_]*$")], Criterion]

    @model_validator(mode="after")
    def _scale_rises(self) -> Scoring:
        low, high = self.scale
        if low >= high:
            raise ValueError(f"the scale must rise: [{low}, {high}] has its lowest score not below its highest")
        if not self.criteria:
            raise ValueError("at least one criterion is needed")
        return self


class Find(_Strict):
    """Step 1: the city's strategic priorities, and the topics requests are tallied into."""

    strategic_priorities: tuple[Text, ...] = ()
    #: topic -> keywords that put a request in it.
    topics: dict[Text, tuple[Text, ...]] = Field(default_factory=dict)


class Settings(_Strict):
    """``tde.yaml``."""

    name: Text
    organization: Text
    focus_area: Text
    focus_rationale: Text | None = None
    #: The signals (ids) that led to the focus area.
    focus_signals: tuple[Slug, ...] = ()
    find: Find | None = None
    scoring: Scoring
