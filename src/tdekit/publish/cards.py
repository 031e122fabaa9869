"""Workshop cards: a printable card per use case and per persona, and a tally sheet.

For card sorting and dot voting at a group engagement (a scope-a-thon, a partner workshop, a
public workshop): :func:`build_cards_view` reads the use cases and personas through their
checked values and makes the view that ``render/cards.html.j2`` prints, four cards to a page,
then a sheet listing every use case with boxes for the dots and cards counted, which
``tde tally import`` reads back once typed into a CSV. Use cases and personas have no consent
field (a persona is a composite, not a person) so they are shown whole; the finished document
goes through the same gate and redaction check as the plan (:func:`tdekit.publish.formats.render`).

A card is a fixed size, so what it holds is bounded: one user story, then as many datasets or
persona list items as the card holds, and how many more there are; the stylesheet cuts a text
longer than its part of the card with an ellipsis. The full records stay in the project.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import TYPE_CHECKING, TypeVar

from tdekit import clock
from tdekit.errors import ProjectError
from tdekit.i18n import current, gettext
from tdekit.publish import choice, scored, views
from tdekit.records.kinds import SETTINGS_FILE

if TYPE_CHECKING:
    import datetime as dt

    from tdekit.records import models
    from tdekit.records.record import Project, Record

T = TypeVar("T")

#: What ``--kind`` takes: the cards of use cases, of personas, or both.
KINDS = ("usecase", "persona", "all")
#: Cards on a printed page, and tally sheet rows on a page.
PER_PAGE = 4
TALLY_ROWS = 8
#: What a card holds, in lines of its 14 pt text (a quarter of the page, padding taken off),
#: and how many characters make a line in a wide font, so that the estimate errs on the side of
#: fewer items. The stylesheet caps each part at a number of lines (a title at TITLE_MOST, the
#: story at STORY_MOST, a dataset at DATASET_MOST, a persona's item at ITEM_MOST, ending in "…"
#: when cut there), so that even the
#: first dataset and the first item of each list, always shown, fit;
#: tests/test_cards_browser.py measures it in Chromium.
CARD_LINES = 20.0
LINE_CHARS = 29
ITEM_CHARS = 25  # a list item is indented
TITLE_CHARS = 24  # the title is larger and bold
TITLE_MOST, STORY_MOST, DATASET_MOST, ITEM_MOST = 3, 7, 4, 3
#: Lines of 14 pt text that parts of a card take besides their words: "Use case" or "Persona",
#: a list's label, "and 2 more", the box for the dots; the title's lines are 1.1 of them.
KIND_LINES, LABEL_LINES, MORE_LINES, DOTS_LINES, TITLE_LINE = 1.1, 1.3, 1.3, 2.0, 1.1


@dataclass(frozen=True)
class UseCaseCard:
    id: str
    title: str
    story: str  # the first user story, as a sentence; "" when it has none
    datasets: tuple[views.Dataset, ...]
    more_datasets: int  # datasets not on the card


@dataclass(frozen=True)
class Items:
    """The first items of a persona's list, and how many more it has."""

    shown: tuple[str, ...]
    more: int


@dataclass(frozen=True)
class PersonaCard:
    id: str
    title: str
    goals: Items
    pain_points: Items
    data_needs: Items


@dataclass(frozen=True)
class TallyRow:
    id: str
    title: str


@dataclass(frozen=True)
class CardsView:
    """Everything the printed cards show."""

    project: str
    organization: str
    focus_area: str
    generated: str
    usecases: tuple[UseCaseCard, ...]
    personas: tuple[PersonaCard, ...]
    tally: tuple[TallyRow, ...]  # every use case, when use case cards are printed
    per_page: int = PER_PAGE
    tally_rows: int = TALLY_ROWS
    language: str = "en"


#: What templates call each part of the view, for their error messages (see tdekit.templating).
TEMPLATE_NAMES = {
    "CardsView": "cards",
    "UseCaseCard": "a card of cards.usecases",
    "PersonaCard": "a card of cards.personas",
    "Items": "a list of a persona card",
    "TallyRow": "a row of cards.tally",
    "Dataset": "a dataset of a use case card",
}


def build_cards_view(project: Project, kind: str = "all", *, today: dt.date | None = None) -> CardsView:
    """The cards of ``kind`` (``usecase``, ``persona`` or ``all``), in id order.

    Refuses (exit 1) when a file they are drawn from has errors, or when there is nothing to print.
    """
    from tdekit.records.models import Persona, UseCase

    settings = project.require_settings()
    choice.check_folders(project, "the cards")
    kinds = ("usecase", "persona") if kind == "all" else (kind,)
    records = [r for k in kinds for r in project.of_kind(k)]
    if not records:
        raise ProjectError(_nothing(kind))
    choice.check_files(project, {SETTINGS_FILE, *(r.rel for r in records)}, "the cards")
    usecases = tuple(_usecase(r.id, _values(r, UseCase)) for r in project.of_kind("usecase") if "usecase" in kinds)
    personas = tuple(_persona(r.id, _values(r, Persona)) for r in project.of_kind("persona") if "persona" in kinds)
    return CardsView(
        project=settings["name"],
        organization=settings["organization"],
        focus_area=settings["focus_area"],
        generated=(today or clock.today()).isoformat(),
        usecases=usecases,
        personas=personas,
        tally=tuple(TallyRow(c.id, c.title) for c in usecases),
        language=current(),
    )


def _nothing(kind: str) -> str:
    if kind == "usecase":
        return 'nothing to print: this project has no use case yet; write one with: tde new usecase "TITLE"'
    if kind == "persona":
        return 'nothing to print: this project has no persona yet; write one with: tde new persona "TITLE"'
    return (
        "nothing to print: this project has no use case and no persona yet; write one with: "
        'tde new usecase "TITLE" or tde new persona "TITLE"'
    )


def _values(record: Record, model: type[T]) -> T:
    values = record.values_as(model)
    if values is None:  # pragma: no cover - check_files refused a file with errors first
        raise AssertionError(f"{record.rel} has no checked values")
    return values


def _lines(text: str, chars: int, most: int) -> float:
    """The lines ``text`` takes on a card at ``chars`` characters a line, at most ``most``,
    with the space below it."""
    return min(most, max(1, math.ceil(len(text) / chars))) + 0.1


def _usecase(record_id: str, usecase: models.UseCase) -> UseCaseCard:
    """A use case's card: its first story, then its datasets, the first always and the others
    while the card holds them."""
    room = CARD_LINES - KIND_LINES - DOTS_LINES - TITLE_LINE * _lines(usecase.title, TITLE_CHARS, TITLE_MOST)
    story = ""
    if usecase.user_stories:
        first = usecase.user_stories[0]
        story = gettext("As %(who)s, I want %(what)s so that %(why)s.") % {
            "who": scored.story_who(first.as_a), "what": first.i_want, "why": first.so_that,
        }
        room -= _lines(story, LINE_CHARS, STORY_MOST)
    if usecase.datasets:
        room -= LABEL_LINES + MORE_LINES
    shown: list[views.Dataset] = []
    for dataset in usecase.datasets:
        line = scored.dataset_view(dataset)
        needs = _lines(f"{line.name} ({line.status}); held by {line.owner}", ITEM_CHARS, DATASET_MOST)
        if shown and needs > room:
            break
        shown.append(line)
        room -= needs
    return UseCaseCard(
        id=record_id,
        title=usecase.title,
        story=story,
        datasets=tuple(shown),
        more_datasets=len(usecase.datasets) - len(shown),
    )


def _persona(record_id: str, persona: models.Persona) -> PersonaCard:
    """A persona's card: the first goal, obstacle and data need, then the second of each, and
    so on while the card holds them."""
    lists = (persona.goals, persona.pain_points, persona.data_needs)
    room = CARD_LINES - KIND_LINES - TITLE_LINE * _lines(persona.title, TITLE_CHARS, TITLE_MOST)
    room -= sum(LABEL_LINES + _lines(values[0], ITEM_CHARS, ITEM_MOST) for values in lists if values)
    taken = [1 if values else 0 for values in lists]
    for depth in range(1, max(map(len, lists))):
        for number, values in enumerate(lists):
            if depth < len(values) and taken[number] == depth:
                needs = _lines(values[depth], ITEM_CHARS, ITEM_MOST)
                # the list's "and 2 more" line, kept free while some of it is not shown
                more = [MORE_LINES if taken[n] + (n == number) < len(v) else 0 for n, v in enumerate(lists)]
                if needs + sum(more) <= room:
                    taken[number] += 1
                    room -= needs
    goals, pains, needs_ = (Items(tuple(v[:t]), len(v) - t) for t, v in zip(taken, lists, strict=True))
    return PersonaCard(id=record_id, title=persona.title, goals=goals, pain_points=pains, data_needs=needs_)
