"""Which records ``tde list`` shows, and the columns it shows them with."""

from __future__ import annotations

from typing import Any, get_args

from tdekit.errors import UsageError
from tdekit.kinds import FOLDERS, STATUS_FIELD, kind_for
from tdekit.project import Project, Record

#: The columns shown for each kind beyond id and title.
KEY_FIELDS: dict[str, tuple[str, ...]] = {
    "interview": ("date", "stakeholder_type", "tactic", "consent"),
    "persona": ("role", "data_skills"),
    "usecase": ("status", "personas", "evidence"),
    "plan": ("usecase", "status"),
    "feedback": ("plan", "date", "channel", "disposition"),
}


def status_values() -> dict[str, tuple[str, ...]]:
    """The statuses of each kind, in the order of the method.

    Read from the models only when a status is asked for: a plain listing served from the
    cache does not import pydantic's models.
    """
    from tdekit.models import Disposition, PlanStatus, UseCaseStatus

    return {
        "usecase": get_args(UseCaseStatus),
        "plan": get_args(PlanStatus),
        "feedback": get_args(Disposition),
    }


def select_records(
    project: Project, kind_name: str | None, status: str | None
) -> tuple[str | None, list[Record]]:
    """The records of ``kind_name`` (all kinds when None) whose status is ``status``.

    Records come in the order of the method (interviews first, feedback last), then by path.
    """
    kind = None
    if kind_name is not None:
        kind = kind_for(kind_name)
        if kind is None:
            raise UsageError(f"unknown kind '{kind_name}'; choose one of: {', '.join(FOLDERS)}")
    order = list(FOLDERS)
    records = sorted(
        (r for r in project.records if kind is None or r.kind == kind),
        key=lambda r: (order.index(r.kind), r.rel),
    )
    if status is not None:
        values = status_values()
        kinds = [kind] if kind is not None else list(values)
        if kind is not None and kind not in STATUS_FIELD:
            raise UsageError(f"{FOLDERS[kind]} have no status to filter on")
        allowed = list(dict.fromkeys(v for k in kinds for v in values[k]))
        if status not in allowed:
            raise UsageError(f"unknown status '{status}'; choose one of: {', '.join(allowed)}")
        records = [
            r for r in records if r.kind in STATUS_FIELD and r.get(STATUS_FIELD[r.kind]) == status
        ]
    return kind, records


#: Fields whose values are short words or dates: kept whole on one line when the width allows.
SHORT_FIELDS = frozenset(
    {"kind", "date", "stakeholder_type", "tactic", "consent", "data_skills", "status", "channel",
     "disposition"}
)
#: Room the table puts beside each column (``output.TABLE_GAP``).
_PADDING = 2
_TITLE_MIN = 10
#: The narrowest a wrapping column other than the title is squeezed to when planning.
_NARROWEST = 4


def list_rows(
    records: list[Record], kind: str | None, width: int | None = None
) -> tuple[list[str], list[list[str]], list[int]]:
    """Column names, rows, and which columns stay whole: the kind's key fields, or kind and
    status across kinds.

    No cell loses a character. Where ``width`` leaves room, ids (what the user types next),
    then dates and choices, stay whole on one line and the other columns wrap in the room that
    is left; in a very narrow terminal every column wraps.
    """
    fields = KEY_FIELDS[kind] if kind is not None else ("status",)
    names = ["id", "title", *fields] if kind is not None else ["kind", "id", "title", *fields]
    rows = []
    for record in records:
        mark = "" if record.valid else " (!)"
        cells = [record.id + mark, record.title] if kind is not None else [
            record.kind + mark, record.id, record.title
        ]
        for name in fields:
            field = STATUS_FIELD.get(record.kind, "") if kind is None else name
            cells.append(_cell(record.get(field)))
        rows.append(cells)

    def widest(index: int) -> int:
        return max([len(names[index]), *(len(row[index]) for row in rows)])

    id_index = names.index("id")
    short = [i for i, name in enumerate(names) if name in SHORT_FIELDS]

    def fits(whole: list[int]) -> bool:
        """Whether these columns can stay whole while the others keep a little room."""
        others = [i for i, name in enumerate(names) if i not in whole and name != "title"]
        rest = sum(min(len(names[i]), _NARROWEST) for i in others)
        needed = sum(widest(i) for i in whole) + rest + _TITLE_MIN + _PADDING * (len(names) - 1)
        return width is None or needed <= width

    whole = next((cols for cols in ([id_index, *short], [id_index]) if fits(cols)), [])
    return names, rows, whole


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, list):
        return str(len(value))
    if hasattr(value, "isoformat"):
        return str(value.isoformat())
    return str(value)
