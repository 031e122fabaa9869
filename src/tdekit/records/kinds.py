"""The five record kinds: their folders and the references between them.

Kept free of pydantic so that commands served from the cache never import it.
"""

from __future__ import annotations

#: Kind -> folder, in the order of the method.
FOLDERS: dict[str, str] = {
    "interview": "interviews",
    "persona": "personas",
    "usecase": "usecases",
    "plan": "plans",
    "feedback": "feedback",
}

#: (kind, field) -> the kind of record the field names; list fields hold several ids.
REFERENCES: dict[tuple[str, str], str] = {
    ("interview", "usecases"): "usecase",
    ("persona", "interviews"): "interview",
    ("usecase", "personas"): "persona",
    ("usecase", "evidence"): "interview",
    ("plan", "usecase"): "usecase",
    ("plan", "audience"): "persona",
    ("feedback", "plan"): "plan",
}

#: The field that carries a record's workflow status, for the kinds that have one.
STATUS_FIELD: dict[str, str] = {
    "usecase": "status",
    "plan": "status",
    "feedback": "disposition",
}

SETTINGS_FILE = "tde.yaml"

#: What an id looks like (the models enforce it; the rules across records read it from here).
SLUG_PATTERN = r"^[a-z0-9][a-z0-9-]*$"
#: The choices of the enumerated fields, in the order of :mod:`tdekit.records.models` (a test keeps
#: them equal). Here so that the rules across records, the ranking and ``tde status`` read them
#: without importing pydantic.
STAKEHOLDER_TYPES = (
    "resident", "community_group", "nonprofit", "researcher", "journalist",
    "civic_technologist", "business", "government", "other",
)
CONSENTS = ("public", "anonymous", "private")
USECASE_STATUSES = ("candidate", "shortlisted", "selected", "parked")
DISPOSITIONS = ("open", "accepted", "partly_accepted", "declined")
#: The stakeholder types that are residents or speak for them: the community voice in evidence.
COMMUNITY_TYPES = ("resident", "community_group")

#: The longest id: what the models accept and the JSON Schema says, and where tde new stops.
MAX_ID_LENGTH = 80


def kind_for(name: str) -> str | None:
    """The kind a user means by ``name`` ('usecase', 'usecases', 'use-case'), or None."""
    key = name.strip().lower().replace("-", "").replace("_", "").replace(" ", "")
    for kind, folder in FOLDERS.items():
        if key in (kind, folder):
            return kind
    return None
