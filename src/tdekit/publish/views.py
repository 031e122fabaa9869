"""The view of a plan: everything a rendered plan shows, as plain frozen dataclasses.

The view is built (:mod:`tdekit.publish.building`) with consent already applied
(:mod:`tdekit.publish.consent`), so a template, shipped or the project's own, only ever sees
what may be shown. Values are text ready to print; bodies are Markdown, which the formats turn
safe (:mod:`tdekit.markup`).
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Persona:
    title: str
    role: str
    data_skills: str | None
    goals: tuple[str, ...]
    pain_points: tuple[str, ...]
    data_needs: tuple[str, ...]


@dataclass(frozen=True)
class Story:
    as_a: str
    i_want: str
    so_that: str


@dataclass(frozen=True)
class Criterion:
    name: str
    meaning: str
    share: str  # the weight as a share of all weights, "25 %"
    value: str  # "4", or "not scored"
    contribution: str
    note: str


@dataclass(frozen=True)
class Score:
    score: str  # "4.30", or "unknown" when it is not a finite number
    known: bool  # False when the score is not a finite number: it has no meaningful rank then
    scale: str  # "1–5"
    top: str  # "5"
    rank: int
    tied: bool
    ranked: int  # how many use cases were considered: the rows of the "considered" table
    unscored: int  # how many of them have no score yet
    partial: int  # how many of them are scored on some weighted criteria only
    criteria: tuple[Criterion, ...]
    missing: tuple[str, ...]


@dataclass(frozen=True)
class Voice:
    """One conversation behind the use case, as its consent allows it to be shown."""

    who: str
    kind: str
    date: str


@dataclass(frozen=True)
class Headcount:
    """How many people of one stakeholder type came to a group engagement."""

    label: str  # "Community groups"
    count: int


@dataclass(frozen=True)
class Group:
    """One group engagement behind the use case, with its numbers: never a private one.

    ``organizations`` are those that came, shown only with public consent.
    """

    kind: str  # "Scope-a-thon"
    date: str
    people: int
    headcounts: tuple[Headcount, ...]
    organizations: tuple[str, ...]
    votes: int  # the dots this use case got there


@dataclass(frozen=True)
class Evidence:
    """The conversations behind the use case that may be shown: private ones are not counted,
    except that the people at a private group engagement add to ``people`` (and to
    ``unnamed_people``), its numbers alone."""

    count: int
    types: tuple[str, ...]
    community: int
    thin: bool
    voices: tuple[Voice, ...]
    people: int = 0
    unnamed_people: int = 0  # people at private group engagements, counted but not shown
    groups: tuple[Group, ...] = ()


@dataclass(frozen=True)
class Dataset:
    name: str
    status: str
    owner: str


@dataclass(frozen=True)
class Considered:
    rank: str
    title: str
    score: str  # "4.30", "not scored" or "unknown"
    partial: bool  # scored on some weighted criteria only: the score may still change
    status: str
    chosen: bool


@dataclass(frozen=True)
class UseCase:
    title: str
    status: str
    score: Score | None
    evidence: Evidence
    stories: tuple[Story, ...]
    datasets: tuple[Dataset, ...]
    partners: tuple[str, ...]
    considered: tuple[Considered, ...]


@dataclass(frozen=True)
class Intervention:
    kind: str
    level: str | None
    level_meaning: str | None
    summary: str


@dataclass(frozen=True)
class Role:
    who: str
    does: str


@dataclass(frozen=True)
class Milestone:
    when: str
    what: str
    who: str


@dataclass(frozen=True)
class Engagement:
    tactic: str
    date: str
    notes: str


@dataclass(frozen=True)
class Feedback:
    """One piece of feedback as it may be shown: ``who`` is a name only with public consent."""

    number: str  # "F1"
    anchor: str  # "f1"
    title: str
    date: str
    who: str
    channel: str
    section: str  # the title of the part of the plan it is about when known, else as written
    section_key: str | None  # anchor key of the part of the plan it is about, when known
    disposition: str  # the enumeration value, for styling
    disposition_label: str
    body: str  # Markdown
    response: str
    #: The parts of the plan the team changed in answer to it (its ``changes`` naming it).
    led_to: tuple[Place, ...] = ()


@dataclass(frozen=True)
class Place:
    """A part of the plan: its anchor key when the shipped templates know it, else as written."""

    section: str  # the title of the part, or the section as the record writes it
    section_key: str | None


@dataclass(frozen=True)
class FeedbackRef:
    """A piece of feedback a change answers, as it is shown in the log: "F2", "#f2"."""

    number: str
    anchor: str


@dataclass(frozen=True)
class Change:
    """One entry of the team's own ``changes``: what it changed, where, in answer to what."""

    section: str
    section_key: str | None
    change: str
    feedback: tuple[FeedbackRef, ...]
    withheld: int  # how many of the feedback items it answers are private: counted, not shown


@dataclass(frozen=True)
class PartChange:
    """What changed in one part of the plan since an earlier round, as a reader sees it."""

    key: str  # the part's anchor key: "timeline"
    title: str
    added: tuple[str, ...]
    removed: tuple[str, ...]
    changed: tuple[tuple[str, str], ...]  # (before, now)


@dataclass(frozen=True)
class SinceRound:
    """What changed since circulation round ``round`` (tagged on ``date``), part by part."""

    round: int
    date: str
    parts: tuple[PartChange, ...]


@dataclass(frozen=True)
class CommentPeriod:
    """How and until when people may comment; addresses checked by the border (mailto-safe
    e-mail, https form address)."""

    opens: str
    closes: str
    how: str
    email: str
    form_url: str  # may hold {section}
    contact: str
    open: bool  # False once the closing date has passed


@dataclass(frozen=True)
class Tally:
    label: str
    key: str
    count: int
    #: ``3 accepted``: the count with its label, in the plural form the language asks for.
    text: str = ""


@dataclass(frozen=True)
class Version:
    """The plan in another language: a link to ``<id>.html`` named in that language."""

    id: str
    language: str  # BCP 47
    name: str  # the language's name in itself: "Español"
    href: str


@dataclass(frozen=True)
class Revision:
    """One entry of the plan's history, newest first.

    ``kind`` is ``revision`` (a commit of the plan file) for now; circulation rounds and the
    team's own account of changes are to join the same list as kinds of their own. ``change``
    is what the reader sees: "Revised", or the commit's subject when ``tde.yaml`` asks for
    ``render: {history: commits}``; ``author`` and ``subject`` are empty unless it does.
    """

    date: str
    kind: str
    change: str
    author: str
    subject: str


@dataclass(frozen=True)
class FocusSignal:
    """A signal named in tde.yaml's ``focus_signals``: counts only, a small one as "fewer than 5"."""

    title: str
    count: str  # "1,234 requests", "fewer than 5 comments"
    period: str  # "Jan–Mar 2026", or "" when the signal gives none


@dataclass(frozen=True)
class PlanView:
    """Everything a rendered plan shows, already filtered by consent."""

    project: str
    organization: str
    focus_area: str
    generated: str
    id: str
    title: str
    status: str
    status_label: str
    banner: str
    created: str
    updated: str
    body: str  # Markdown
    usecase: UseCase
    personas: tuple[Persona, ...]
    intervention: Intervention
    formality: str | None
    formality_meaning: str | None
    activities: tuple[str, ...]
    roles: tuple[Role, ...]
    milestones: tuple[Milestone, ...]
    outcomes: tuple[str, ...]
    resources: str
    steward: str
    engagement: tuple[Engagement, ...]
    feedback: tuple[Feedback, ...]
    tally: tuple[Tally, ...]
    next_steps: tuple[str, ...]
    history: tuple[Revision, ...] | None  # None outside git: the section is left out
    focus_rationale: str = ""
    focus_signals: tuple[FocusSignal, ...] = ()  # the evidence for the focus area, in tde.yaml's order
    language: str = "en"  # BCP 47 tag of the fixed words: the HTML's lang, for screen readers
    comment: CommentPeriod | None = None  # None: the plan sets no comment period
    changes: tuple[Change, ...] = ()
    since: SinceRound | None = None  # None: no earlier round to compare with
    #: The language of what the plan's own fields say (a translation's), and of what the
    #: project's other records and tde.yaml say: text in another language than ``language``
    #: carries its own ``lang`` in HTML.
    own_language: str = "en"
    records_language: str = "en"
    #: The same plan in other languages: the plan it translates, and the other translations.
    versions: tuple[Version, ...] = ()


@dataclass(frozen=True)
class HeardGroup:
    """How many people of one kind of stakeholder we heard from."""

    label: str
    count: int


@dataclass(frozen=True)
class Heard:
    """Who we heard from, consent applied: private records are neither counted nor named."""

    conversations: int
    people: int
    groups: tuple[HeardGroup, ...]
    names: tuple[str, ...]  # only people and groups who agreed to be named publicly
    feedback: int


@dataclass(frozen=True)
class ReportMilestone:
    what: str
    when: str
    who: str
    status: str  # the enumeration value, for styling
    status_label: str
    done_on: str


@dataclass(frozen=True)
class ReportUpdate:
    date: str
    title: str
    kind: str
    kind_label: str
    channel: str
    audience: str
    body: str  # Markdown: the message as sent


@dataclass(frozen=True)
class ReportOutcome:
    outcome: str
    indicator: str
    baseline: str
    target: str
    actual: str
    measured_on: str
    met: bool | None  # None: not measured, or not numbers
    summary: str  # the indicator against its target in one sentence: the bar's text alternative
    #: Where the bar ends and where the target mark stands, in percent of the scale; None when
    #: the values are not numbers (the table says it all then).
    actual_share: int | None
    target_share: int | None


@dataclass(frozen=True)
class ReportView:
    """The public report of the whole loop: what we heard, what we decided, what we did."""

    plan: PlanView
    heard: Heard
    why: str
    milestones: tuple[ReportMilestone, ...]
    milestones_done: int
    updates: tuple[ReportUpdate, ...]
    outcomes: tuple[ReportOutcome, ...]
    generated: str
    language: str = "en"


#: What templates call each part of the view, for their error messages (see tdekit.templating).
TEMPLATE_NAMES = {
    "PlanView": "plan",
    "UseCase": "plan.usecase",
    "Score": "plan.usecase.score",
    "Evidence": "plan.usecase.evidence",
    "Intervention": "plan.intervention",
    "Criterion": "a criterion of plan.usecase.score",
    "Voice": "a voice of plan.usecase.evidence",
    "Group": "a group of plan.usecase.evidence",
    "Headcount": "a headcount of a group of plan.usecase.evidence",
    "Story": "a story of plan.usecase",
    "Dataset": "a dataset of plan.usecase",
    "Considered": "a use case of plan.usecase.considered",
    "Persona": "a persona of plan.personas",
    "Role": "a role of plan.roles",
    "Milestone": "a milestone of plan.milestones",
    "Engagement": "an item of plan.engagement",
    "Feedback": "an item of plan.feedback",
    "Tally": "an item of plan.tally",
    "Revision": "a revision of plan.history",
    "Version": "an item of plan.versions",
    "FocusSignal": "a signal of plan.focus_signals",
    "Place": "a place of an item of plan.feedback",
    "FeedbackRef": "a feedback item of a change of plan.changes",
    "Change": "a change of plan.changes",
    "CommentPeriod": "plan.comment",
    "SinceRound": "plan.since",
    "PartChange": "a part of plan.since",
    "ReportView": "report",
    "Heard": "report.heard",
    "HeardGroup": "a group of report.heard.groups",
    "ReportMilestone": "a milestone of report.milestones",
    "ReportUpdate": "an update of report.updates",
    "ReportOutcome": "an outcome of report.outcomes",
}
