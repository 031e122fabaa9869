"""What of a record a rendered document may show: the one place consent is applied.

Every section of a plan asks :func:`showing` before it takes anything from an interview or a
piece of feedback. ``public`` consent shows the person's name and organisation; ``anonymous``
shows neither (the person appears under a neutral label of their group or channel) but shows
what they said and counts them; ``private`` shows nothing at all, counts included. Kinds without
a consent field (plans, use cases, personas) are shown whole. The fields a kind names as
``never_shown`` (feedback's ``contact``) are shown under no consent at all (:func:`never_shown`).

:mod:`tdekit.publish.redact` checks the finished document afterwards, independently: it looks
for withheld values wherever they came from, and refuses rather than filters.
"""

from __future__ import annotations

from dataclasses import dataclass

from tdekit.i18n import gettext
from tdekit.records.kinds import KINDS
from tdekit.records.record import Record


@dataclass(frozen=True)
class Showing:
    """What of one record may be shown."""

    name: bool  # the person's or source's own name
    organization: bool
    body: bool  # what they said, in the record's body
    counted: bool  # counted in totals, listed at all


EVERYTHING = Showing(name=True, organization=True, body=True, counted=True)
ANONYMOUS = Showing(name=False, organization=False, body=True, counted=True)
NOTHING = Showing(name=False, organization=False, body=False, counted=False)


def may_show(consent: str | None) -> Showing:
    """What a consent value allows; anything but ``public`` or ``anonymous`` allows nothing."""
    if consent == "public":
        return EVERYTHING
    return ANONYMOUS if consent == "anonymous" else NOTHING


def showing(record: Record) -> Showing:
    """What of ``record`` may be shown: by its consent when its kind has one, else everything.

    A record whose values are not checked shows nothing when its kind asks for consent.
    """
    field = KINDS[record.kind].consent_field
    if field is None:
        return EVERYTHING
    return may_show(getattr(record.values, field, None))


def never_shown(kind: str) -> tuple[str, ...]:
    """The fields of ``kind`` that no output shows, whatever the record's consent."""
    spec = KINDS.get(kind)
    return spec.never_shown if spec is not None else ()


def who(name: str, showing: Showing, anonymous_label: str) -> str:
    """A person as they may be named: ``name``, or ``LABEL (anonymous)``."""
    return name if showing.name else gettext("%(who)s (anonymous)") % {"who": anonymous_label}
