"""The registry of record kinds: one :class:`KindSpec` per kind, read by every part of tdekit.

A kind's folder, its model, the references its fields make, its status field and values, the
columns ``tde list`` shows, the names messages and help give it, and its template are all said
here, once. Validation, listing, ``tde schema``, ``tde init``, ``tde new`` and the help of the
commands read them from :data:`KINDS`; adding a kind is a spec here, a model in
:mod:`tdekit.records.models` and a template in ``templates/records/`` (docs/architecture.md).

What every kind shares is said beside the registry: a record's ``id`` is a slug
(:data:`SLUG_PATTERN`, at most :data:`MAX_ID_LENGTH` characters) equal to its file name without
``.md`` and unique across the project; every record has ``id``, ``title``, ``tags`` and
``created``.

Kept free of pydantic and of the models (the model is named, and loaded on demand), so that
``tde --help`` and commands served from the cache import neither.
"""

from __future__ import annotations

import importlib
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

SETTINGS_FILE = "tde.yaml"

#: What an id looks like (the models enforce it; the rules across records read it from here).
SLUG_PATTERN = r"^[a-z0-9][a-z0-9-]*$"
#: The longest id: what the models accept and the JSON Schema says, and where tde new stops.
MAX_ID_LENGTH = 80
#: The scoring criteria a new ``tde.yaml`` starts with (and the record templates are shown).
DEFAULT_CRITERIA = ("capacity", "interest", "partner_support", "data_gap", "impact")

#: The choices of the enumerated fields that tdekit reads without the models (a test keeps them
#: equal to the models' own), so that the rules across records, the ranking, ``tde status``
#: and ``tde list --status`` need not import them.
STAKEHOLDER_TYPES = (
    "resident", "community_group", "nonprofit", "researcher", "journalist",
    "civic_technologist", "business", "government", "other",
)
CONSENTS = ("public", "anonymous", "private")
USECASE_STATUSES = ("candidate", "shortlisted", "selected", "parked")
PLAN_STATUSES = ("draft", "circulated", "revised", "final")
DISPOSITIONS = ("open", "accepted", "partly_accepted", "declined")
SIGNAL_KINDS = ("service_requests", "records_requests", "dataset_requests", "survey", "meeting", "other")
#: The stakeholder types that are residents or speak for them: the community voice in evidence.
COMMUNITY_TYPES = ("resident", "community_group")


@dataclass(frozen=True)
class KindSpec:
    """What one kind of record is, for every part of tdekit that needs to know.

    ``references`` maps a field to the kind of record it names (by id; a list field names
    several). ``columns`` are what ``tde list`` shows beyond id and title, and ``keep_first``
    the same columns from the one to keep longest to the one left out first when the terminal
    is narrow; ``wrap`` are those of free text, which may wrap. ``consent_field`` names the
    field that says whether the people in the record may be named, for the kinds that have one;
    ``never_shown`` the fields no output ever shows, whatever the consent (a contact address).
    """

    name: str
    folder: str
    #: The model's class name in :mod:`tdekit.records.models` (loaded by :meth:`model`).
    model_name: str
    singular: str
    plural: str
    #: How a message names one record of the kind: "an interview", "a use case", "feedback".
    named: str
    #: One line for help and docs: what a record of the kind stands for.
    help: str
    references: Mapping[str, str] = field(default_factory=dict)
    status_field: str | None = None
    statuses: tuple[str, ...] = ()
    columns: tuple[str, ...] = ()
    keep_first: tuple[str, ...] = ()
    wrap: tuple[str, ...] = ()
    consent_field: str | None = None
    never_shown: tuple[str, ...] = ()

    @property
    def template(self) -> str:
        """The record template ``tde new`` fills, under ``templates/``."""
        return f"records/{self.name}.md.j2"

    def model(self) -> type[Any]:
        """The model class (imports :mod:`tdekit.records.models`)."""
        models = importlib.import_module("tdekit.records.models")
        model: type[Any] = getattr(models, self.model_name)
        return model


#: Every kind, in the order of the method (the order of listings, help and schemas).
KINDS: dict[str, KindSpec] = {
    spec.name: spec
    for spec in (
        KindSpec(
            name="signal", folder="signals", model_name="Signal",
            singular="signal", plural="signals", named="a signal",
            help="what residents already ask for, tallied by topic from one source (Step 1)",
            columns=("kind", "rows", "file"),
            keep_first=("kind", "rows", "file"),
        ),
        KindSpec(
            name="interview", folder="interviews", model_name="Interview",
            singular="interview", plural="interviews", named="an interview",
            help="one conversation or engagement event (Step 2)",
            references={"usecases": "usecase"},
            columns=("date", "stakeholder_type", "tactic", "consent"),
            keep_first=("date", "stakeholder_type", "consent", "tactic"),
            consent_field="consent",
        ),
        KindSpec(
            name="persona", folder="personas", model_name="Persona",
            singular="persona", plural="personas", named="a persona",
            help="a composite intended user, drawn from interviews (Step 2)",
            references={"interviews": "interview"},
            columns=("role", "data_skills"),
            keep_first=("role", "data_skills"),
            wrap=("role",),
        ),
        KindSpec(
            name="usecase", folder="usecases", model_name="UseCase",
            singular="use case", plural="use cases", named="a use case",
            help="a use-case scenario with its user stories and scores (Step 2 to 3)",
            references={"personas": "persona", "evidence": "interview"},
            status_field="status", statuses=USECASE_STATUSES,
            columns=("status", "personas", "evidence"),
            keep_first=("status", "personas", "evidence"),
        ),
        KindSpec(
            name="plan", folder="plans", model_name="Plan",
            singular="plan", plural="plans", named="a plan",
            help="a draft plan for one selected use case (Step 3)",
            references={"usecase": "usecase", "audience": "persona", "translation_of": "plan"},
            status_field="status", statuses=PLAN_STATUSES,
            columns=("usecase", "status"),
            keep_first=("status", "usecase"),
        ),
        KindSpec(
            name="feedback", folder="feedback", model_name="Feedback",
            singular="piece of feedback", plural="feedback", named="feedback",
            help="one piece of feedback received on a plan (Step 3)",
            references={"plan": "plan"},
            status_field="disposition", statuses=DISPOSITIONS,
            columns=("plan", "date", "channel", "disposition"),
            keep_first=("disposition", "date", "channel", "plan"),
            consent_field="consent",
            never_shown=("contact",),
        ),
        KindSpec(
            name="update", folder="updates", model_name="Update",
            singular="update", plural="updates", named="an update",
            help="a message sent to the community about a plan as it is carried out (Step 4)",
            references={"plan": "plan"},
            columns=("plan", "date", "channel", "kind"),
            keep_first=("date", "kind", "plan", "channel"),
        ),
    )
}

# Views of the registry, for the code that asks one question of every kind.

#: Kind -> folder.
FOLDERS: dict[str, str] = {name: spec.folder for name, spec in KINDS.items()}
#: (kind, field) -> the kind of record the field names; list fields hold several ids.
REFERENCES: dict[tuple[str, str], str] = {
    (name, ref): target for name, spec in KINDS.items() for ref, target in spec.references.items()
}
#: The field that carries a record's workflow status, for the kinds that have one.
STATUS_FIELD: dict[str, str] = {
    name: spec.status_field for name, spec in KINDS.items() if spec.status_field is not None
}


def kind_for(name: str) -> str | None:
    """The kind a user means by ``name`` ('usecase', 'usecases', 'use-case'), or None."""
    key = name.strip().lower().replace("-", "").replace("_", "").replace(" ", "")
    for kind, folder in FOLDERS.items():
        if key in (kind, folder):
            return kind
    return None
