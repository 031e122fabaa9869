"""Which records ``tde list`` shows, and the columns it shows them with."""

from __future__ import annotations

from typing import Any, get_args

from tdekit.errors import UsageError
from tdekit.kinds import FOLDERS, STATUS_FIELD, kind_for
from tdekit.models import Disposition, PlanStatus, UseCaseStatus
from tdekit.project import Project, Record

#: The columns shown for each kind beyond id and title.
KEY_FIELDS: dict[str, tuple[str, ...]] = {
    "interview": ("date", "stakeholder_type", "tactic", "consent"),
    "persona": ("role", "data_skills"),
    "usecase": ("status", "personas", "evidence"),
    "plan": ("usecase", "status"),
    "feedback": ("plan", "date", "channel", "disposition"),
}

#: The statuses of each kind, in the order of the method.
STATUS_VALUES: dict[str, tuple[str, ...]] = {
    "usecase": get_args(UseCaseStatus),
    "plan": get_args(PlanStatus),
    "feedback": get_args(Disposition),
}


def select_records(
    project: Project, kind_name: str | None, status: str | None
) -> tuple[str | None, list[Record]]:
    """The records of ``kind_name`` (all kinds when None) whose status is ``status``."""
    kind = None
    if kind_name is not None:
        kind = kind_for(kind_name)
        if kind is None:
            raise UsageError(f"unknown kind '{kind_name}'; choose one of: {', '.join(FOLDERS)}")
    records = [r for r in project.records if kind is None or r.kind == kind]
    if status is not None:
        kinds = [kind] if kind is not None else list(STATUS_VALUES)
        if kind is not None and kind not in STATUS_FIELD:
            raise UsageError(f"{FOLDERS[kind]} have no status to filter on")
        allowed = list(dict.fromkeys(v for k in kinds for v in STATUS_VALUES[k]))
        if status not in allowed:
            raise UsageError(f"unknown status '{status}'; choose one of: {', '.join(allowed)}")
        records = [
            r for r in records if r.kind in STATUS_FIELD and r.get(STATUS_FIELD[r.kind]) == status
        ]
    return kind, records


def list_rows(records: list[Record], kind: str | None) -> tuple[list[Any], list[list[str]]]:
    """Table columns and rows: the kind's key fields, or kind and status across kinds."""
    if kind is not None:
        fields = KEY_FIELDS[kind]
        columns: list[Any] = ["id", ("title", {"ratio": 1, "overflow": "fold"}), *fields]
        rows = [[r.id, r.title, *(_cell(r.get(f)) for f in fields)] for r in records]
    else:
        columns = ["kind", "id", ("title", {"ratio": 1, "overflow": "fold"}), "status"]
        rows = [
            [r.kind, r.id, r.title, _cell(r.get(STATUS_FIELD[r.kind])) if r.kind in STATUS_FIELD else ""]
            for r in records
        ]
    for row, record in zip(rows, records, strict=False):
        if not record.valid:
            row[0] = f"{row[0]} (!)"
    return columns, rows


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, list):
        return str(len(value))
    if hasattr(value, "isoformat"):
        return str(value.isoformat())
    return str(value)
