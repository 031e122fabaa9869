"""The circulated plan: what residents, partners and council staff read (TDE Step 3).

:func:`build_plan_view` gathers everything the plan shows into plain frozen dataclasses, and
it is there, not in a template, that consent is applied: a name appears only with ``public``
consent, ``anonymous`` material appears under a neutral label, and ``private`` interviews and
feedback are left out entirely, counts included. A template (shipped or the project's own)
only ever sees this view, so no template can leak what the view does not hold.

:func:`render_plan` fills ``templates/render/plan.md.j2`` or ``plan.html.j2`` with the view.
Record values reach the templates as data only; bodies go through :mod:`tdekit.markup`.
"""

from __future__ import annotations

import datetime as dt
import math
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, NoReturn

from tdekit import gitlog
from tdekit import labels as words
from tdekit.errors import ProjectError, RefusedWrite, UsageError
from tdekit.fsio import LOCK_DIR
from tdekit.problems import Problem
from tdekit.records.kinds import COMMUNITY_TYPES, FOLDERS, SETTINGS_FILE
from tdekit.records.record import Project, Record
from tdekit.text import closest

if TYPE_CHECKING:
    import jinja2

    from tdekit.scoring import UseCaseScore

FORMATS = ("md", "html")
#: How many plans an error lists before it says how many more there are.
SHOWN_PLANS = 5
#: What a score, share or contribution reads when it is not a finite number.
UNKNOWN = "unknown"
#: What the history says of a revision of the plan file when commit subjects are not shown.
FIRST_VERSION = "First version"
REVISED = "Revised"
#: Folders of a project that ``-o`` never writes into, and what each holds (for the refusal).
PROTECTED_FOLDERS: dict[str, str] = {
    **dict.fromkeys(FOLDERS.values(), "records"),
    "templates": "the project's own templates",
    ".git": "the git repository",
    LOCK_DIR: "tde's cache",
}

# --- the view --------------------------------------------------------------------------------


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
class Evidence:
    """The conversations behind the use case that may be shown: private ones are not counted."""

    count: int
    types: tuple[str, ...]
    community: int
    thin: bool
    voices: tuple[Voice, ...]


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


@dataclass(frozen=True)
class Tally:
    label: str
    key: str
    count: int


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
    language: str = "en"  # BCP 47 tag of the fixed words: the HTML's lang, for screen readers


#: What templates call each part of the view, for their error messages (see tdekit.templating).
TEMPLATE_NAMES = {
    "PlanView": "plan",
    "UseCase": "plan.usecase",
    "Score": "plan.usecase.score",
    "Evidence": "plan.usecase.evidence",
    "Intervention": "plan.intervention",
    "Criterion": "a criterion of plan.usecase.score",
    "Voice": "a voice of plan.usecase.evidence",
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
}


# --- choosing and checking the plan ----------------------------------------------------------


def choose_plan(project: Project, plan_id: str | None) -> Record:
    """The plan named by ``plan_id`` (an id or a path), else the selected use case's, else the only one."""
    plans = project.of_kind("plan")
    if plan_id is not None:
        wanted = plan_id.removeprefix("./").removeprefix("plans/").removesuffix(".md")
        record = project.by_id().get(wanted)
        if record is None:
            ids = [p.id for p in plans]
            guess = closest(wanted, ids)
            hint = f"; did you mean '{guess}'?" if guess else (f"; the plans are: {_some(ids)}" if ids else "")
            raise ProjectError(f"no plan '{plan_id}' in this project{hint}")
        if record.kind != "plan":
            from tdekit.validate import KIND_NAMES

            raise ProjectError(f"'{wanted}' is {KIND_NAMES[record.kind]} ({record.rel}), not a plan")
        return record
    if not plans:
        raise ProjectError("this project has no plan yet; write one with: tde new plan \"TITLE\" --set usecase=ID")
    if len(plans) == 1:
        return plans[0]
    selected = {u.id for u in project.of_kind("usecase") if u.get("status") == "selected"}
    chosen = [p for p in plans if p.get("usecase") in selected]
    if len(chosen) == 1:
        return chosen[0]
    listing = _some([f"{p.id} ({p.get('status', '?')}, for {p.get('usecase', '?')})" for p in plans])
    why = "several plans are for the selected use case" if chosen else "no plan is for a selected use case"
    raise ProjectError(f"{why}; name the plan to render, one of: {listing}")


def _some(items: Sequence[str], shown: int = SHOWN_PLANS) -> str:
    """``a, b, c`` or, past ``shown`` items, ``a, b, c, d, e and 3 more``: one line either way."""
    if len(items) <= shown:
        return ", ".join(items)
    return f"{', '.join(items[:shown])} and {len(items) - shown} more"


def check_folders(project: Project, plan_id: str | None) -> None:
    """Refuse (exit 1) when a record folder is a link out of the project, its records unread.

    A plan draws on every kind of record, so with one folder unread it would say, falsely, that
    there is no feedback, no interview or no persona; better to render nothing.
    """
    errors = [p for p in project.problems if p.severity == "error" and p.path in project.outside]
    if errors:
        raise ProjectError(f"cannot render {plan_id or 'the plan'}: {_fix_first(errors)}")


def check_renderable(project: Project, plan: Record) -> None:
    """Refuse (exit 1) when the plan or a file it draws on has errors: one line, the first of them."""
    from tdekit.validate import validate_project

    errors = [
        p for p in validate_project(project)
        if p.severity == "error" and p.path in _files_of(project, plan)
    ]
    if errors:
        raise ProjectError(f"cannot render {plan.id}: {_fix_first(errors)}")


def template_warnings(project: Project, plan_id: str) -> list[Problem]:
    """The ``template-text`` warnings of what the plan shows: tde.yaml, the fields of the files
    it draws on, and the bodies it prints (the plan's and the feedback's). Private records,
    which it never shows, are left out. ``tde render plan`` prints them, and renders."""
    from tdekit.records.template_text import CODE

    files = _files_of(project, project.by_id()[plan_id])
    shown: dict[str, float] = {SETTINGS_FILE: math.inf}  # path -> the first line not shown
    for record in project.records:
        if record.rel in files and record.get("consent") != "private":
            shown[record.rel] = math.inf if record.kind in ("plan", "feedback") else record.doc.body_line
    found = [p for p in project.problems if p.code == CODE and (p.line or 0) < shown.get(p.path, 0)]
    return sorted(found, key=Problem.sort_key)


def _fix_first(errors: Sequence[Problem]) -> str:
    """``FILES has N errors; fix them first ...; the first: PROBLEM``: why a plan is not rendered."""
    paths = sorted({p.path for p in errors})
    files, first = _some(paths), errors[0].format()
    if len(errors) == 1:
        return f"{files} has an error; fix it first ('tde validate' shows it too): {first}"
    verb = "has" if len(paths) == 1 else "have"
    return f"{files} {verb} {len(errors)} errors; fix them first ('tde validate' lists them all); the first: {first}"


def check_output(root: Path, out: Path) -> None:
    """Refuse (exit 1) an output path that is ``tde.yaml`` or lies in a protected folder.

    The protected folders are the record and template folders, ``.git/`` and ``.tde-cache/``;
    a path through any ``.git`` folder at all (the project may sit inside a larger repository)
    is refused too. The path is made absolute and its links and ``..`` resolved first, and
    compared without regard to case (a case-insensitive file system would take ``PLANS/`` for
    ``plans/``), so no spelling of it dodges the check. Anywhere else, inside the project or
    not, is fine.
    """
    target = _folded(out.resolve())
    project = root.absolute()
    for base in {project, project.resolve()}:
        if target == _folded(base / SETTINGS_FILE):
            raise RefusedWrite(f"refusing to write the plan to {out}: that is the project's settings file, {SETTINGS_FILE}")
        for folder, what in PROTECTED_FOLDERS.items():
            for place in {base / folder, (base / folder).resolve()}:
                if target[: len(_folded(place))] == _folded(place):
                    _refuse_output(out, folder, what)
    if ".git" in target:
        _refuse_output(out, ".git", "a git repository")


def _refuse_output(out: Path, folder: str, what: str) -> NoReturn:
    raise RefusedWrite(
        f"refusing to write the plan to {out}: it is inside {folder}/, which holds {what}; "
        "write it elsewhere, such as build/ or outside the project"
    )


def _folded(path: Path) -> tuple[str, ...]:
    return tuple(part.casefold() for part in path.parts)


def _files_of(project: Project, plan: Record) -> set[str]:
    """The files a rendered plan draws on: its use case, personas, interviews and feedback."""
    by_id = project.by_id()
    files = {SETTINGS_FILE, plan.rel}
    usecase = by_id.get(str(plan.get("usecase")))
    persona_ids = _texts(plan.get("audience"))
    if usecase is not None:
        files.add(usecase.rel)
        persona_ids += _texts(usecase.get("personas"))
        for interview in _backing(project, usecase):
            files.add(interview.rel)
    for persona_id in persona_ids:
        if persona_id in by_id:
            files.add(by_id[persona_id].rel)
    for feedback in project.of_kind("feedback"):
        about = feedback.get("plan")
        if about == plan.id or not isinstance(about, str):
            files.add(feedback.rel)
    return files


def _texts(value: Any) -> list[str]:
    if isinstance(value, list):
        return [str(v) for v in value if isinstance(v, (str, int, float))]
    return []


def _backing(project: Project, usecase: Record) -> list[Record]:
    """Every interview the use case lists as evidence or that lists the use case."""
    listed = set(_texts(usecase.get("evidence")))
    return [
        i for i in project.of_kind("interview")
        if i.id in listed or usecase.id in _texts(i.get("usecases"))
    ]


# --- building the view -----------------------------------------------------------------------


def build_plan_view(project: Project, plan_id: str | None, *, today: dt.date | None = None) -> PlanView:
    """The view of one plan (see :func:`choose_plan`), filtered by consent; refuses invalid files."""
    settings = project.require_settings()
    check_folders(project, plan_id)
    plan = choose_plan(project, plan_id)
    check_renderable(project, plan)
    data = plan.data or {}
    by_id = project.by_id()
    usecase = by_id[data["usecase"]]
    persona_ids = data.get("audience") or (usecase.data or {}).get("personas") or []
    engagement = tuple(
        Engagement(words.label(words.ENGAGEMENT_TACTICS, e["tactic"]), _date(e.get("date")), e.get("notes") or "")
        for e in data.get("engagement") or []
    )
    history = _history(project, plan, commits=(settings.get("render") or {}).get("history") == "commits")
    intervention = data["intervention"]
    level = intervention.get("level")
    formality = data.get("formality")
    feedback = _feedback(project, plan.id)
    return PlanView(
        project=settings["name"],
        organization=settings["organization"],
        focus_area=settings["focus_area"],
        generated=(today or dt.date.today()).isoformat(),
        id=plan.id,
        title=data["title"],
        status=data["status"],
        status_label=words.label(words.PLAN_STATUSES, data["status"]),
        banner=_banner(data, history),
        created=_date(data.get("created")),
        updated=history[0].date if history else "",
        body=plan.doc.body,
        usecase=_usecase(project, usecase),
        personas=tuple(_persona(by_id[i]) for i in persona_ids if i in by_id),
        intervention=Intervention(
            kind=words.label(words.INTERVENTION_KINDS, intervention["kind"]),
            level=words.INTERVENTION_LEVELS[level][0] if level else None,
            level_meaning=words.INTERVENTION_LEVELS[level][1] if level else None,
            summary=intervention["summary"],
        ),
        formality=words.FORMALITY[formality][0] if formality else None,
        formality_meaning=words.FORMALITY[formality][1] if formality else None,
        activities=tuple(data.get("activities") or ()),
        roles=tuple(Role(r["who"], r["does"]) for r in data.get("roles") or []),
        milestones=tuple(
            Milestone(_date(m.get("when")), m["what"], m.get("who") or "")
            for m in data.get("milestones") or []
        ),
        outcomes=tuple(data.get("outcomes") or ()),
        resources=data.get("resources") or "",
        steward=data.get("steward") or "",
        engagement=engagement,
        feedback=feedback,
        tally=_tally(feedback),
        next_steps=tuple(data.get("next_steps") or ()),
        history=history,
    )


def _date(value: Any) -> str:
    if value is None:
        return ""
    return value.isoformat() if isinstance(value, dt.date) else str(value)


def _banner(plan: dict[str, Any], history: Sequence[Revision] | None) -> str:
    status = plan["status"]
    if status == "draft":
        return "Draft — not yet circulated for comment"
    if status == "circulated":
        dates = sorted(e["date"] for e in plan.get("engagement") or [] if e.get("date"))
        return "Draft for comment" + (f" — circulated {dates[0].isoformat()}" if dates else "")
    if status == "revised":
        return "Revised draft, after comment" + (f" — updated {history[0].date}" if history else "")
    return "Final plan"


def _history(project: Project, plan: Record, *, commits: bool) -> tuple[Revision, ...] | None:
    """The plan file's revisions from git, newest first; None outside git.

    Commit subjects and authors can name people, so by default only the dates are shown, one
    entry a day; ``commits`` shows every commit with its subject and author.
    """
    path = project.root / plan.rel
    if not gitlog.inside_work_tree(path.parent):
        return None
    found = gitlog.history(path)
    if commits:
        return tuple(Revision(r.date, "revision", r.subject, r.author, r.subject) for r in found)
    dates = list(dict.fromkeys(r.date for r in found))
    return tuple(
        Revision(date, "revision", FIRST_VERSION if number == len(dates) - 1 else REVISED, "", "")
        for number, date in enumerate(dates)
    )


def _persona(record: Record) -> Persona:
    data = record.data or {}
    skills = data.get("data_skills")
    return Persona(
        title=data["title"],
        role=data["role"],
        data_skills=words.DATA_SKILLS[skills] if skills else None,
        goals=tuple(data.get("goals") or ()),
        pain_points=tuple(data.get("pain_points") or ()),
        data_needs=tuple(data.get("data_needs") or ()),
    )


def _usecase(project: Project, record: Record) -> UseCase:
    from tdekit.scoring import scale_of, score_usecases

    data = record.data or {}
    ranking = score_usecases(project)
    low, high = scale_of(project)
    mine = next((s for s in ranking if s.id == record.id), None)
    return UseCase(
        title=data["title"],
        status=words.label(words.USECASE_STATUSES, data["status"]),
        score=_score(project, mine, ranking, low, high, data.get("score_notes") or {}),
        evidence=_evidence(project, record),
        stories=tuple(
            Story(words.with_article(s["as_a"]), s["i_want"], s["so_that"]) for s in data.get("user_stories") or []
        ),
        datasets=tuple(
            Dataset(d["name"], words.label(words.DATASET_STATUSES, d["status"]) if d.get("status") else "", d.get("owner") or "")
            for d in data.get("datasets") or []
        ),
        partners=tuple(data.get("partners") or ()),
        considered=tuple(
            Considered(
                rank=(f"={s.rank}" if s.tied else str(s.rank)) if _finite(s.score) else "–",
                title=s.title,
                score=_fixed(s.score, "not scored"),
                partial=_finite(s.score) and s.incomplete,
                status=words.label(words.USECASE_STATUSES, s.status),
                chosen=s.id == record.id,
            )
            for s in ranking
        ),
    )


def _score(
    project: Project,
    score: UseCaseScore | None,
    ranking: Sequence[UseCaseScore],
    low: int,
    high: int,
    notes: dict[str, str],
) -> Score | None:
    from tdekit.scoring import criteria_of, label

    if score is None or score.score is None:
        return None
    meanings = criteria_of(project)
    shares = _shares([c.weight for c in score.criteria])
    return Score(
        score=_fixed(score.score, UNKNOWN),
        known=_finite(score.score),
        scale=f"{low}–{high}",
        top=str(high),
        rank=score.rank,
        tied=score.tied,
        ranked=len(ranking),
        unscored=sum(1 for s in ranking if s.score is None),
        partial=sum(1 for s in ranking if _finite(s.score) and s.incomplete),
        criteria=tuple(
            Criterion(
                name=label(c.name).capitalize(),
                meaning=str(meanings.get(c.name, {}).get("meaning") or ""),
                share=share,
                value=str(c.value) if c.value is not None else "not scored",
                contribution=_fixed(c.contribution, "–"),
                note=notes.get(c.name, ""),
            )
            for c, share in zip(score.criteria, shares, strict=True)
        ),
        missing=tuple(label(n) for n in score.missing),
    )


def _finite(value: float | None) -> bool:
    return value is not None and math.isfinite(value)


def _fixed(value: float | None, absent: str) -> str:
    """``4.30``; ``absent`` for None; ``unknown`` for a value that is not a finite number."""
    if value is None:
        return absent
    return f"{value:.2f}" if math.isfinite(value) else UNKNOWN


def _shares(weights: Sequence[float]) -> list[str]:
    """Each weight as a share of their sum, ``25 %``; ``unknown`` where that is no finite number.

    When huge weights overflow the sum, they are scaled by the largest first.
    """
    largest = max((abs(w) for w in weights), default=0.0)
    if not math.isfinite(largest):
        return [UNKNOWN] * len(weights)
    if not math.isfinite(sum(weights)):
        weights = [w / largest for w in weights]
    total = sum(weights) or 1.0
    return [f"{round(100 * w / total)} %" if math.isfinite(100 * w / total) else UNKNOWN for w in weights]


def _evidence(project: Project, usecase: Record) -> Evidence:
    """The conversations behind the use case that may be shown; private ones count for nothing."""
    shown = sorted(
        (i for i in _backing(project, usecase) if i.data is not None and i.data["consent"] != "private"),
        key=lambda i: (i.data["date"] if i.data else dt.date.min, i.id),
    )
    types = [i.get("stakeholder_type") for i in shown]
    voices = tuple(_voice(i.data) for i in shown if i.data is not None)
    return Evidence(
        count=len(shown),
        types=tuple(words.STAKEHOLDER_GROUPS[t] for t in words.STAKEHOLDER_GROUPS if t in types),
        community=sum(1 for t in types if t in COMMUNITY_TYPES),
        thin=len(shown) <= 1,
        voices=voices,
    )


def _voice(data: dict[str, Any]) -> Voice:
    if data["consent"] == "public":
        who = data["interviewee"]
        if data.get("organization"):
            who += f", {data['organization']}"
    else:
        who = f"{words.ANONYMOUS_PEOPLE[data['stakeholder_type']]} (anonymous)"
    return Voice(who=who, kind=words.label(words.INTERVIEW_TACTICS, data["tactic"]), date=data["date"].isoformat())


def _feedback(project: Project, plan_id: str) -> tuple[Feedback, ...]:
    """The feedback on the plan that may be shown, oldest first: never private feedback."""
    items = sorted(
        (
            f for f in project.of_kind("feedback")
            if f.data is not None and f.data["plan"] == plan_id and f.data["consent"] != "private"
        ),
        key=lambda f: (f.data["date"] if f.data else dt.date.min, f.id),
    )
    shown: list[Feedback] = []
    for number, record in enumerate(items, start=1):
        data = record.data or {}
        channel = data["channel"]
        who = data["source"] if data["consent"] == "public" else f"{words.ANONYMOUS_SOURCES[channel]} (anonymous)"
        section = data.get("section") or ""
        key = words.SECTION_NAMES.get(" ".join(section.lower().replace("_", " ").split()))
        shown.append(
            Feedback(
                number=f"F{number}",
                anchor=f"f{number}",
                title=data["title"],
                date=data["date"].isoformat(),
                who=who,
                channel=words.label(words.CHANNELS, channel),
                section=words.SECTION_TITLES[key] if key else section,
                section_key=key,
                disposition=data["disposition"],
                disposition_label=words.label(words.DISPOSITIONS, data["disposition"]),
                body=record.doc.body,
                response=data.get("response") or "",
            )
        )
    return tuple(shown)


def _tally(feedback: Iterable[Feedback]) -> tuple[Tally, ...]:
    counts = Counter(f.disposition for f in feedback)
    return tuple(Tally(label, key, counts[key]) for key, label in words.DISPOSITIONS.items() if counts[key])


# --- rendering -------------------------------------------------------------------------------


def render_plan(view: PlanView, fmt: str, env: jinja2.Environment) -> str:
    """The plan as ``md`` or ``html`` text, from ``templates/render/plan.<fmt>.j2``.

    A template that breaks the sandbox's rules, names something the view lacks or otherwise
    fails raises UsageError: one line naming the template file and line (see
    :func:`tdekit.templating.explain`).
    """
    from tdekit import markup, templating, text

    if fmt not in FORMATS:
        raise UsageError(f"unknown format '{fmt}'; choose one of: {', '.join(FORMATS)}")
    env.filters["markdown"] = (
        _html_filter(markup.to_html) if fmt == "html" else _markdown_filter(markup.to_markdown)
    )
    env.filters["md"] = markup.md_text
    env.filters["anchor"] = markup.heading_anchor
    env.filters["join_words"] = markup.join_words
    env.filters["css_string"] = _css_filter(markup.css_string)
    name = f"render/plan.{fmt}.j2"
    try:
        template = env.get_template(name)
        # Records with these are errors; text from elsewhere (a template, git) is not shown reordered.
        return text.without_reordering(template.render(plan=view))
    except Exception as err:
        message = templating.explain(err, env, name)
        if message is None:  # a shipped template failing on its own is a bug: let it show
            raise
        raise UsageError(message) from None


def _html_filter(convert: Any) -> Any:
    from markupsafe import Markup

    def markdown(text: str, section: str | None = None, level: int = 3) -> Markup:
        from tdekit.frames import frame_tables

        html = convert(str(text), section=section, level=int(level))
        return Markup(frame_tables(html))  # nh3 has sanitised it; the frames are tdekit's own

    return markdown


def _css_filter(convert: Any) -> Any:
    from markupsafe import Markup

    def css_string(text: str) -> Markup:
        return Markup(convert(text))  # escapes every sign that HTML or CSS could read

    return css_string


def _markdown_filter(convert: Any) -> Any:
    def markdown(text: str, section: str | None = None, level: int = 3) -> str:
        return str(convert(str(text), section=section, level=int(level)))

    return markdown


def today(environ: dict[str, str] | None = None) -> dt.date:
    """Today's date, or the date of ``SOURCE_DATE_EPOCH`` when set (for reproducible output)."""
    import os

    value = (environ if environ is not None else os.environ).get("SOURCE_DATE_EPOCH", "").strip()
    if value:
        try:
            return dt.datetime.fromtimestamp(int(value), tz=dt.timezone.utc).date()
        except (ValueError, OverflowError, OSError):
            raise UsageError(f"SOURCE_DATE_EPOCH={value!r} is not a number of seconds") from None
    return dt.date.today()
