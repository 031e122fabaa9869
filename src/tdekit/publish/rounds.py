"""What changed in a plan since an earlier circulation round, part by part.

A round is the git tag ``tde/<plan-id>/round-<n>`` that ``tde circulate`` made. The project's
files as they were at that tag are read out of git (``git archive``, into a temporary folder;
nothing in the work tree changes), loaded like any project, and the plan's view is built from
them as it is now; the two views are compared part by part: a paragraph of the overview, an
activity, a role, a milestone, an outcome, the intervention, the resources, the steward, the
people it is for, the engagement and the next steps. This compares what a reader sees, not
the lines of the file: moving a field, re-wrapping a paragraph or changing a comment is no
change. Only the plan's own parts are compared: who was heard and what feedback came in
depend on consent, which may have changed since, so an earlier round never shows them.

Without a round asked for, the comparison is with the last round before the current one: the
round before the latest when the plan is as the latest round left it, else the latest. With no
such round nothing is shown. A round that does not exist is an error that lists the rounds.
"""

from __future__ import annotations

import tempfile
from collections.abc import Callable
from pathlib import Path

from tdekit import gitlog
from tdekit import labels as words
from tdekit.errors import ProjectError, UsageError
from tdekit.publish import views
from tdekit.records.record import Project, Record

#: The plan's own parts that are compared, in the order of the plan.
COMPARED = (
    "overview", "personas", "intervention", "activities", "roles", "timeline", "outcomes",
    "resources", "steward", "engagement", "next-steps",
)


def earlier_round(project: Project, plan: Record, asked: int | None) -> tuple[int, str] | None:
    """The round to compare the plan with, and its date; None when there is none to compare."""
    if not gitlog.inside_work_tree(project.root):
        if asked is not None:
            raise UsageError("--changes-since needs the project in git: rounds are git tags (tde circulate)")
        return None
    rounds = gitlog.plan_rounds(project.root, plan.id)
    if asked is not None:
        if asked not in rounds:
            listed = ", ".join(map(str, rounds))
            known = f"its rounds are {listed}" if rounds else "it has not been circulated yet (tde circulate)"
            raise UsageError(f"--changes-since {asked}: {plan.id} has no round {asked}; {known}")
        return asked, rounds[asked]
    if not rounds:
        return None
    latest = max(rounds)
    if gitlog.unchanged_in_work_tree(project.root, gitlog.round_tag(plan.id, latest), plan.rel):
        before = [n for n in rounds if n < latest]
        return (before[-1], rounds[before[-1]]) if before else None
    return latest, rounds[latest]


def since(
    project: Project, plan: Record, now: views.PlanView, asked: int | None,
    build: Callable[[Project, str], views.PlanView],
) -> views.SinceRound | None:
    """What changed in the plan's view ``now`` since the round asked for (or the default one)."""
    from tdekit.records.project import load_project

    found = earlier_round(project, plan, asked)
    if found is None:
        return None
    number, date = found
    tag = gitlog.round_tag(plan.id, number)
    with tempfile.TemporaryDirectory(prefix="tde-round-") as folder:
        failed = gitlog.show_tree(project.root, tag, Path(folder))
        if failed is not None:
            raise ProjectError(f"cannot read round {number} ({tag}) from git: {failed}")
        before = build(load_project(Path(folder)), plan.id)
    parts = []
    old, new = parts_of(before), parts_of(now)
    for key in COMPARED:
        was, is_ = old.get(key, ()), new.get(key, ())
        added = tuple(item for item in is_ if item not in was)
        removed = tuple(item for item in was if item not in is_)
        if not added and not removed:
            continue
        # An item gone from a place that a new item now holds was changed, not replaced.
        changed = tuple(
            (item, is_[index]) for index, item in enumerate(was)
            if item in removed and index < len(is_) and is_[index] in added
        )
        added = tuple(item for item in added if item not in {now for _, now in changed})
        removed = tuple(item for item in removed if item not in {old for old, _ in changed})
        parts.append(views.PartChange(key, words.label(words.SECTION_TITLES, key), added, removed, changed))
    return views.SinceRound(number, date, tuple(parts))


def parts_of(view: views.PlanView) -> dict[str, tuple[str, ...]]:
    """The items of each compared part of the plan, as a reader sees them."""
    def joined(*values: str) -> str:
        return " · ".join(v for v in values if v)

    intervention = view.intervention
    return {
        "overview": tuple(p.strip() for p in view.body.split("\n\n") if p.strip() and not p.lstrip().startswith("#")),
        "personas": tuple(p.title for p in view.personas),
        "intervention": tuple(v for v in (
            intervention.summary, joined(intervention.kind, intervention.level or ""), view.formality or "",
        ) if v),
        "activities": view.activities,
        "roles": tuple(joined(r.who, r.does) for r in view.roles),
        "timeline": tuple(joined(m.when, m.what, m.who) for m in view.milestones),
        "outcomes": view.outcomes,
        "resources": (view.resources,) if view.resources else (),
        "steward": (view.steward,) if view.steward else (),
        "engagement": tuple(joined(e.date, e.tactic, e.notes) for e in view.engagement),
        "next-steps": view.next_steps,
    }
