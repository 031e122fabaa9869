"""The fields of each kind of record, as frozen dataclasses: the one model of each kind.

After a record file passes the border (:mod:`tdekit.records.schema`, where pydantic checks the
front matter against these classes and refuses unknown fields), its values are an instance of
its kind's class here, and that is what the rest of tdekit reads: attributes mypy can check,
not strings. The cache keeps the values as plain data and builds them back without pydantic
(:mod:`tdekit.records.values`), so this module imports neither pydantic nor anything heavy.

The field lists and enumerations follow the product brief. A :class:`Rule` in a field's type
is a constraint the border enforces (strict text matching a pattern, a strict whole number);
lists are tuples and maps read-only, so that values cannot be changed once checked.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Annotated, Any, ClassVar, Literal

from tdekit.records.kinds import MAX_ID_LENGTH
from tdekit.records.kinds import (
    SLUG_PATTERN as SLUG_PATTERN,  # re-exported: the schema reads it here
)


@dataclass(frozen=True)
class Rule:
    """A constraint the border enforces on text or a whole number, in strict mode: text must be
    text (not a number or a date YAML read), a whole number must not be true/false or 3.5."""

    pattern: str | None = None
    min_length: int | None = None
    max_length: int | None = None
    #: The least a whole number may be.
    minimum: int | None = None

    def __get_pydantic_core_schema__(self, source: Any, handler: Any) -> Any:
        """How pydantic checks it (called by pydantic only, which is imported by then)."""
        from pydantic_core import core_schema

        if source is int:
            return core_schema.int_schema(strict=True, ge=self.minimum)
        if source is float:
            return core_schema.float_schema(strict=True, allow_inf_nan=False)
        return core_schema.str_schema(
            strict=True, pattern=self.pattern, min_length=self.min_length, max_length=self.max_length
        )


#: The branches of :class:`TextOrFields` as pydantic names them in an error's location; no
#: field is named so, and tdekit.records.schema drops them to find the line.
TEXT_TAG, FIELDS_TAG = "[text]", "[fields]"


@dataclass(frozen=True)
class TextOrFields:
    """Text, or a set of fields (a dataclass): a map is checked as the fields, anything else
    as text, so that a mistake is reported once, in the terms of what was written."""

    fields: type[Any]

    def __get_pydantic_core_schema__(self, source: Any, handler: Any) -> Any:
        """How pydantic checks it (called by pydantic only, which is imported by then)."""
        from pydantic_core import core_schema

        return core_schema.tagged_union_schema(
            {TEXT_TAG: handler.generate_schema(Text), FIELDS_TAG: handler.generate_schema(self.fields)},
            discriminator=lambda value: FIELDS_TAG if isinstance(value, dict) else TEXT_TAG,
        )


Slug = Annotated[str, Rule(pattern=SLUG_PATTERN, max_length=MAX_ID_LENGTH)]
Text = Annotated[str, Rule(min_length=1, pattern=r"\S")]
#: Any text at all, strictly (a map's keys).
Key = Annotated[str, Rule()]
Whole = Annotated[int, Rule()]
#: A number, whole or not (never true/false): an indicator's value.
Number = Annotated[float, Rule()]
#: A whole number not below zero: how many of something (rows, people, votes, cards).
Count = Annotated[int, Rule(minimum=0)]
#: A whole number from one: a circulation round.
Ordinal = Annotated[int, Rule(minimum=1)]
#: A file's name with no folder in it.
FileName = Annotated[str, Rule(pattern=r"^[^/\\]+$", min_length=1)]
TextList = tuple[Text, ...]
#: A BCP 47 language tag as tdekit takes it (``es``, ``es-MX``): see tdekit.i18n.
Language = Annotated[str, Rule(pattern=r"^[a-z]{2,3}(-[A-Z][a-z]{3})?(-([A-Z]{2}|[0-9]{3}))?$")]
SlugList = tuple[Slug, ...]
#: An https address with no space, quote or angle bracket in it: where a form for comments is.
HTTPS_PATTERN = r"^https://[^\s\"'<>\\]+$"
#: An e-mail address: a local part with no space, quote, bracket or sign that a mailto: URL
#: reads (``?&#%/``), one @, and a domain of letters, digits and hyphens with a dot in it.
EMAIL_PATTERN = r"^[^\s@\"'<>,;:()\[\]\\?&#%/]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+$"
HttpsUrl = Annotated[str, Rule(pattern=HTTPS_PATTERN, max_length=2000)]
Email = Annotated[str, Rule(pattern=EMAIL_PATTERN, max_length=254)]

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
UpdateChannel = Literal["email", "meeting", "website", "social", "print", "other"]
UpdateKind = Literal["progress", "delay", "launch", "result", "other"]
MilestoneStatus = Literal["planned", "in_progress", "done", "late", "dropped"]
SignalKind = Literal[
    "service_requests", "records_requests", "dataset_requests", "survey", "meeting", "other"
]
PeriodEnd = Literal["from", "to"]


class _Strict:
    """Unknown fields are refused at the border."""

    __slots__ = ()
    __pydantic_config__: ClassVar[dict[str, Any]] = {"extra": "forbid"}


@dataclass(frozen=True, kw_only=True, slots=True)
class RecordValues(_Strict):
    """Fields every record has."""

    id: Slug
    title: Text
    tags: TextList = ()
    created: dt.date | None = None


@dataclass(frozen=True, kw_only=True, slots=True)
class UnmatchedCategory(_Strict):
    category: Key
    rows: Count


@dataclass(frozen=True, kw_only=True, slots=True)
class Signal(RecordValues):
    """What residents already ask for, tallied by topic from one source (Step 1)."""

    # Counts and category names only: no row's text, name or address is ever kept here.

    source: Text
    kind: SignalKind
    period: Mapping[PeriodEnd, dt.date] = field(default_factory=dict)
    rows: Count | None = None
    counts: Mapping[Key, Count] = field(default_factory=dict)
    unmatched: Count | None = None
    top_unmatched: tuple[UnmatchedCategory, ...] = ()
    file: FileName | None = None


@dataclass(frozen=True, kw_only=True, slots=True)
class Tally(_Strict):
    """What a group gave one use case: dots in a dot vote, cards in a card sort."""

    votes: Count | None = None
    cards: Count | None = None


@dataclass(frozen=True, kw_only=True, slots=True)
class Interview(RecordValues):
    """One conversation or engagement event (Step 2)."""

    date: dt.date
    interviewee: Text
    organization: Text | None = None
    stakeholder_type: StakeholderType
    tactic: InterviewTactic
    consent: Consent
    usecases: SlugList = ()
    needs: TextList = ()
    # A group engagement (any tactic but interview): who came, and what they voted for.
    participants: Mapping[Key, Count] = field(default_factory=dict)
    organizations: TextList = ()
    tallies: Mapping[Key, Tally] = field(default_factory=dict)


@dataclass(frozen=True, kw_only=True, slots=True)
class Persona(RecordValues):
    """A composite intended user, drawn from interviews (Step 2)."""

    role: Text
    goals: TextList = ()
    pain_points: TextList = ()
    data_needs: TextList = ()
    data_skills: DataSkills | None = None
    interviews: SlugList = ()


@dataclass(frozen=True, kw_only=True, slots=True)
class UserStory(_Strict):
    as_a: Text
    i_want: Text
    so_that: Text


@dataclass(frozen=True, kw_only=True, slots=True)
class Dataset(_Strict):
    name: Text
    status: DatasetStatus | None = None
    owner: Text | None = None


@dataclass(frozen=True, kw_only=True, slots=True)
class UseCase(RecordValues):
    """A use-case scenario with its user stories and scores (Step 2 to 3)."""

    status: UseCaseStatus
    personas: SlugList = ()
    user_stories: tuple[UserStory, ...] = ()
    datasets: tuple[Dataset, ...] = ()
    partners: TextList = ()
    evidence: SlugList = ()
    scores: Mapping[Key, Whole] = field(default_factory=dict)
    score_notes: Mapping[Key, Text] = field(default_factory=dict)


@dataclass(frozen=True, kw_only=True, slots=True)
class Intervention(_Strict):
    kind: InterventionKind
    summary: Text
    level: InterventionLevel | None = None


@dataclass(frozen=True, kw_only=True, slots=True)
class Role(_Strict):
    who: Text
    does: Text


@dataclass(frozen=True, kw_only=True, slots=True)
class Milestone(_Strict):
    what: Text
    when: dt.date | Text | None = None
    who: Text | None = None
    status: MilestoneStatus | None = None  # none said: planned
    done_on: dt.date | None = None


@dataclass(frozen=True, kw_only=True, slots=True)
class Outcome(_Strict):
    """An outcome with the indicator that shows it, and where that indicator stands (Step 4)."""

    outcome: Text
    indicator: Text | None = None
    baseline: Number | Text | None = None
    target: Number | Text | None = None
    actual: Number | Text | None = None
    measured_on: dt.date | None = None


@dataclass(frozen=True, kw_only=True, slots=True)
class Engagement(_Strict):
    tactic: EngagementTactic
    date: dt.date | None = None
    notes: Text | None = None


@dataclass(frozen=True, kw_only=True, slots=True)
class CommentPeriod(_Strict):
    """When and how people may comment on a circulated plan."""

    opens: dt.date | None = None
    closes: dt.date | None = None
    how: Text | None = None
    email: Email | None = None
    #: May hold ``{section}``, replaced by the section number (URL-encoded) in each section's link.
    form_url: HttpsUrl | None = None
    contact: Text | None = None


@dataclass(frozen=True, kw_only=True, slots=True)
class Change(_Strict):
    """One change the team made to the plan, in its own words, and the feedback it answers."""

    section: Text
    change: Text
    feedback: SlugList = ()


@dataclass(frozen=True, kw_only=True, slots=True)
class Plan(RecordValues):
    """A draft plan for one selected use case (Step 3)."""

    usecase: Slug
    status: PlanStatus
    intervention: Intervention
    audience: SlugList = ()
    roles: tuple[Role, ...] = ()
    activities: TextList = ()
    milestones: tuple[Milestone, ...] = ()
    outcomes: tuple[Annotated[str | Outcome, TextOrFields(Outcome)], ...] = ()
    resources: Text | None = None
    steward: Text | None = None
    engagement: tuple[Engagement, ...] = ()
    formality: Formality | None = None
    next_steps: TextList = ()
    comment_period: CommentPeriod | None = None
    changes: tuple[Change, ...] = ()
    #: The language the plan is written in (a translation's, or the project's when absent).
    language: Language | None = None
    #: The plan (id) this one translates: same use case, roles, milestones and activities.
    translation_of: Slug | None = None


@dataclass(frozen=True, kw_only=True, slots=True)
class Feedback(RecordValues):
    """One piece of feedback received on a plan (Step 3)."""

    plan: Slug
    date: dt.date
    source: Text
    consent: Consent
    channel: FeedbackChannel
    section: Text | None = None
    disposition: Disposition
    response: Text | None = None
    stakeholder_type: StakeholderType | None = None
    # How to reach the person (an e-mail address): kept for the team, never rendered or
    # exported whatever the consent (KindSpec.never_shown, publish/consent.py).
    contact: Text | None = None
    # Set by tde feedback import: a hash of the row's content, so a re-import adds nothing.
    import_key: Text | None = None
    round: Ordinal | None = None


@dataclass(frozen=True, kw_only=True, slots=True)
class Update(RecordValues):
    """A message sent to the community about a plan as it is carried out (Step 4)."""

    # Updates are public communications (no consent field): the body is the message as sent.

    plan: Slug
    date: dt.date
    channel: UpdateChannel | None = None
    audience: TextList = ()
    kind: UpdateKind | None = None
