"""The border: pydantic models for ``tde.yaml`` and the five record kinds.

Everything read from YAML passes through these models once; unknown fields are refused. What
the rest of tdekit passes around are the plain values they return (see :mod:`tdekit.records`).
The field lists and enumerations follow the product brief.
"""

from __future__ import annotations

import datetime as dt
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

from tdekit.kinds import MAX_ID_LENGTH
from tdekit.kinds import SLUG_PATTERN as SLUG_PATTERN  # re-exported: the schema reads it here
from tdekit.weights import is_number, weight_problem

Slug = Annotated[StrictStr, Field(pattern=SLUG_PATTERN, max_length=MAX_ID_LENGTH)]
Text = Annotated[StrictStr, Field(min_length=1, pattern=r"\S")]
TextList = list[Text]
SlugList = list[Slug]

StakeholderType = Literal[
    "resident", "community_group", "nonprofit", "researcher", "journalist",
    "civic_technologist", "business", "government", "other",
]
InterviewTactic = Literal[
    "interview", "scope_a_thon", "expert_consultation", "public_consultation", "partner_workshop"
]
Consent = Literal["public", "anonymous", "private"]
UseCaseStatus = Literal["candidate", "shortlisted", "selected", "parked"]
DatasetStatus = Literal["published", "unpublished", "missing"]
PlanStatus = Literal["draft", "circulated", "revised", "final"]
InterventionKind = Literal["product", "project", "tool", "data_release", "event", "training", "other"]
InterventionLevel = Literal[
    "lower_barriers", "diversify_tools", "build_responsiveness", "share_success",
    "catalyze_ecosystem", "formalize_partnerships",
]
EngagementTactic = Literal["open_comment", "expert_focus_group", "public_workshop", "other"]
Formality = Literal["light", "standard", "formal"]
DataSkills = Literal["low", "medium", "high"]
FeedbackChannel = Literal[
    "online_comment", "email", "survey", "focus_group", "workshop", "meeting", "co_design",
    "one_on_one", "user_test", "advisory_group", "other",
]
Disposition = Literal["open", "accepted", "partly_accepted", "declined"]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class RecordModel(_Strict):
    """Fields every record has."""

    id: Slug
    title: Text
    tags: TextList = []
    created: dt.date | None = None


class Interview(RecordModel):
    """One conversation or engagement event (Step 2)."""

    date: dt.date
    interviewee: Text
    organization: Text | None = None
    stakeholder_type: StakeholderType
    tactic: InterviewTactic
    consent: Consent
    usecases: SlugList = []
    needs: TextList = []


class Persona(RecordModel):
    """A composite intended user, drawn from interviews (Step 2)."""

    role: Text
    goals: TextList = []
    pain_points: TextList = []
    data_needs: TextList = []
    data_skills: DataSkills | None = None
    interviews: SlugList = []


class UserStory(_Strict):
    as_a: Text
    i_want: Text
    so_that: Text


class Dataset(_Strict):
    name: Text
    status: DatasetStatus | None = None
    owner: Text | None = None


class UseCase(RecordModel):
    """A use-case scenario with its user stories and scores (Step 2 to 3)."""

    status: UseCaseStatus
    personas: SlugList = []
    user_stories: list[UserStory] = []
    datasets: list[Dataset] = []
    partners: TextList = []
    evidence: SlugList = []
    scores: dict[StrictStr, StrictInt] = {}
    score_notes: dict[StrictStr, Text] = {}


class Intervention(_Strict):
    kind: InterventionKind
    summary: Text
    level: InterventionLevel | None = None


class Role(_Strict):
    who: Text
    does: Text


class Milestone(_Strict):
    what: Text
    when: dt.date | Text | None = None
    who: Text | None = None


class Engagement(_Strict):
    tactic: EngagementTactic
    date: dt.date | None = None
    notes: Text | None = None


class Plan(RecordModel):
    """A draft plan for one selected use case (Step 3)."""

    usecase: Slug
    status: PlanStatus
    intervention: Intervention
    audience: SlugList = []
    roles: list[Role] = []
    activities: TextList = []
    milestones: list[Milestone] = []
    outcomes: TextList = []
    resources: Text | None = None
    steward: Text | None = None
    engagement: list[Engagement] = []
    formality: Formality | None = None
    next_steps: TextList = []


class Feedback(RecordModel):
    """One piece of feedback received on a plan (Step 3)."""

    plan: Slug
    date: dt.date
    source: Text
    consent: Consent
    channel: FeedbackChannel
    section: Text | None = None
    disposition: Disposition
    response: Text | None = None


def _weight(value: Any) -> Any:
    """A number that :func:`tdekit.weights.weight_problem` refuses, refused with its words.

    Anything else goes on to the type check, which names the field and shows the value.
    """
    problem = weight_problem(value) if is_number(value) else None
    if problem is not None:
        raise ValueError(problem)
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


class Settings(_Strict):
    """``tde.yaml``."""

    name: Text
    organization: Text
    focus_area: Text
    scoring: Scoring
    render: RenderSettings | None = None


#: The model of each record kind (folders and references live in :mod:`tdekit.kinds`).
MODELS: dict[str, type[RecordModel]] = {
    "interview": Interview,
    "persona": Persona,
    "usecase": UseCase,
    "plan": Plan,
    "feedback": Feedback,
}
