"""The words of ``tde score``: the paragraphs of ``--explain``, how a score adds up, and what
the robustness check found, in sentences a manager reads once.

The scoring core (:mod:`tdekit.scoring`) returns numbers and reasons; this module says them.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from tdekit.text import humanize, join_words, plural

if TYPE_CHECKING:
    from tdekit.scoring import CriterionScore, Evidence, Robustness, UseCaseScore

#: Under the table when a use case lacks a score.
HOW_MISSING_COUNTS = (
    "A missing score (–) is never counted as zero: the score is the weighted mean over the "
    "criteria that are scored, and a use case missing a weighted criterion is incomplete (*) and "
    "ranked after all complete ones; one with no scores at all ranks last."
)


def _number(value: float) -> str:
    return f"{value:.2f}"


def explain(score: UseCaseScore, scale: tuple[int, int] | None = None) -> str:
    """A plain-language paragraph about one use case's score, fit to paste into an email.

    It says where the use case ranks, its strongest criteria and its weakest, what is not
    scored yet, and the conversations behind it.
    """
    parts: list[str] = []
    if score.score is None:
        parts.append(f"{score.title} ({score.id}) has no weighted scores yet, so it ranks last.")
    else:
        rank = f"shares rank {score.rank}" if score.tied else f"ranks {score.rank}"
        out_of = f" out of {scale[1]}" if scale else ""
        parts.append(f"{score.title} ({score.id}) {rank} with {_number(score.score)}{out_of}.")
        parts.append(_strengths([c for c in score.criteria if c.value is not None], bool(score.missing)))
    if score.missing:
        names = join_words([humanize(n) for n in score.missing])
        if score.score is not None and score.incomplete:
            parts.append(f"It has no score yet for {names}, so it ranks after the use cases scored on every criterion.")
        else:
            parts.append(f"It has no score yet for {names}.")
    parts.append(_evidence_sentence(score.evidence))
    return " ".join(parts)


def _strengths(scored: list[CriterionScore], partial: bool) -> str:
    values = [c.value for c in scored if c.value is not None]
    high, low = max(values), min(values)
    if high == low:
        return f"It scores {high} on {'each criterion scored so far' if partial else 'every criterion'}."
    # strongest: the highest values, the heavier weight first where values are equal
    ranked = sorted(scored, key=lambda c: (-(c.value or 0), -c.weight))
    strongest = [c for c in ranked[:2] if c.value != low]
    weakest = [c for c in scored if c.value == low]
    best = join_words([f"{humanize(c.name)} ({c.value})" for c in strongest])
    worst = join_words([humanize(c.name) for c in weakest])
    return (
        f"Its strongest {'criteria are' if len(strongest) > 1 else 'criterion is'} {best}; "
        f"its weakest {'are' if len(weakest) > 1 else 'is'} {worst} ({low})."
    )


def _evidence_sentence(ev: Evidence) -> str:
    count = len(ev.interviews)
    dots = _dots_sentence(ev)
    if count == 0:
        return "No interview backs it yet, so its evidence is thin." + dots
    types = join_words([humanize(t) for t in ev.stakeholder_types]) or "stakeholder type not recorded"
    people = "" if ev.people == count else f" with {plural(ev.people, 'person', 'people')}"
    if count == 1:
        return f"It rests on a single conversation{people} ({types}), which is thin evidence." + dots
    if ev.people != count:
        kinds = len(ev.stakeholder_types)
        people += f" of {kinds} {'kind' if kinds == 1 else 'kinds'}"
    if ev.community == count:
        community = "all of them with residents or community groups"
    elif ev.community:
        community = f"{ev.community} of them with residents or community groups"
    else:
        community = "none of them with residents or community groups"
    return f"It rests on {count} conversations{people} ({types}), {community}." + dots


def _dots_sentence(ev: Evidence) -> str:
    """ "; 23 dots at the March workshop" in words: where the use case got its votes."""
    if not ev.votes:
        return ""
    places = [f"{votes} at {title}" for title, votes in ev.dots if title is not None]
    private = [votes for title, votes in ev.dots if title is None]
    if private:
        where = "a private engagement" if len(private) == 1 else "private engagements"
        places.append(f"{sum(private)} at {where}")
    if len(places) == 1:
        return f" It got {plural(ev.votes, 'dot')} {places[0].split(' ', 1)[1]}."
    return f" It got {plural(ev.votes, 'dot')}: {join_words(places)}."


def breakdown(score: UseCaseScore) -> str:
    """How the score adds up: ``capacity 0.75 + interest 1.25 + ... = 4.20``."""
    terms = [f"{humanize(c.name)} {_number(c.contribution)}" for c in score.criteria if c.contribution is not None]
    if score.score is None or not terms:
        return "no weighted scores yet"
    return " + ".join(terms) + f" = {_number(score.score)}"


def robustness_line(robust: Robustness) -> str:
    """Whether the leader survives each ±20 % move of one weight, in words a manager reads once.

    Moves with the same outcome share a sentence: "If capacity weighed 20% less or interest
    20% more, stop-accessibility would rank first instead."
    """
    percent = f"{robust.step:.0%}"
    if not robust.leaders:
        return "Robustness: no use case has a score yet."
    if robust.leader is None:
        return (
            f"Robustness: {join_words(robust.leaders)} tie for first; the weights do not separate them, "
            "so the team decides."
        )
    if robust.holds:
        return f"Robustness: {robust.leader} stays first when any one weight moves by ±{percent}."
    outcomes: dict[tuple[str, ...], list[str]] = {}
    for c in robust.challengers:
        moves = outcomes.setdefault(c.new_leaders, [])
        change = f"{percent} {'more' if c.direction > 0 else 'less'}"
        moves.append(f"{humanize(c.criterion)} weighed {change}" if not moves else f"{humanize(c.criterion)} {change}")
    sentences = [
        f"If {join_words(moves, 'or')}, "
        + (f"{leaders[0]} would rank first instead." if len(leaders) == 1 else f"{join_words(leaders)} would tie for first.")
        for leaders, moves in outcomes.items()
    ]
    return f"Robustness: {robust.leader} is first, but not robustly. " + " ".join(sentences)
