"""The border for ``tde.yaml``: its pydantic model, checked once when the file changes.

The project's settings are passed around as the plain values this model returns.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

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

from tdekit.records.models import Consent, FeedbackChannel, Language, Slug, Text
from tdekit.records.weights import is_number, weight_problem


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


def _weight(value: Any) -> Any:
    """A number that :func:`tdekit.records.weights.weight_problem` refuses, refused with its words.

    Anything else goes on to the type check, which names the field and shows the value.
    """
    problem = weight_problem(value) if is_number(value) else None
    if problem is not None:
        raise ValueError(problem)
    return value


def _language(value: Any) -> Any:
    """A language tag tdekit has no catalog for, refused with the languages it has."""
    from tdekit.i18n import problem

    why = problem(value) if isinstance(value, str) else None  # not text: the type check says so
    if why is not None:
        raise ValueError(why)
    return value


class Criterion(_Strict):
    # ge=0 never fires (_weight refuses first); it puts the minimum into the JSON Schema.
    weight: Annotated[StrictFloat | StrictInt, BeforeValidator(_weight), Field(ge=0)]
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


class RenderSettings(_Strict):
    """``render:`` in ``tde.yaml``: how ``tde render`` puts the plan together.

    ``history: dates`` (the default) shows when the plan was revised; ``commits`` shows each
    commit's subject and author too, which can name people: they pass the redaction check.
    """

    history: Literal["dates", "commits"] = "dates"


class Find(_Strict):
    """Step 1: the city's strategic priorities, and the topics requests are tallied into."""

    strategic_priorities: tuple[Text, ...] = ()
    #: topic -> keywords that put a request in it.
    topics: dict[Text, tuple[Text, ...]] = Field(default_factory=dict)


class FeedbackColumns(_Strict):
    """``imports.feedback.columns``: record field -> the header of the column that fills it
    (``body`` is the record's text); the fields of :data:`tdekit.imports.mapping.FIELDS`."""

    date: Text | None = None
    source: Text | None = None
    contact: Text | None = None
    section: Text | None = None
    body: Text | None = None
    consent: Text | None = None
    stakeholder_type: Text | None = None


class FeedbackImport(_Strict):
    """``imports.feedback``: how ``tde feedback import`` reads a form export."""

    columns: FeedbackColumns | None = None
    #: a person's answer to the consent question -> the consent it gives; anything else is private.
    consent_values: dict[Text, Consent] = Field(default_factory=dict)
    channel: FeedbackChannel | None = None


class Imports(_Strict):
    """``imports:`` in ``tde.yaml``."""

    feedback: FeedbackImport | None = None


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
    render: RenderSettings | None = None
    imports: Imports | None = None
    #: The language of the fixed words of outputs (BCP 47), one tdekit has a catalog for.
    language: Annotated[Language, BeforeValidator(_language)] = "en"
