"""Which records ``tde list`` shows, and the columns it shows them with."""

from __future__ import annotations

from typing import Any

from tdekit.errors import UsageError
from tdekit.records.kinds import KINDS, STATUS_FIELD, kind_for
from tdekit.records.record import Project, Record
from tdekit.text import closest

#: The columns shown for each kind beyond id and title (the registry's ``columns``).
KEY_FIELDS: dict[str, tuple[str, ...]] = {name: spec.columns for name, spec in KINDS.items()}


def status_values() -> dict[str, tuple[str, ...]]:
    """The statuses of each kind that has them, in the order of the method."""
    return {name: spec.statuses for name, spec in KINDS.items() if spec.status_field is not None}


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
            raise UsageError(f"unknown kind '{kind_name}'; choose one of: {', '.join(KINDS)}")
    order = list(KINDS)
    records = sorted(
        (r for r in project.records if kind is None or r.kind == kind),
        key=lambda r: (order.index(r.kind), r.rel),
    )
    if status is not None:
        values = status_values()
        kinds = [kind] if kind is not None else list(values)
        if kind is not None and kind not in STATUS_FIELD:
            raise UsageError(f"{KINDS[kind].plural} have no status to filter on")
        allowed = list(dict.fromkeys(v for k in kinds for v in values[k]))
        if status not in allowed:
            guess = closest(status, allowed)
            hint = f"did you mean '{guess}'? " if guess else ""
            raise UsageError(f"unknown status '{status}'; {hint}choose one of: {', '.join(allowed)}")
        records = [
            r for r in records if r.kind in STATUS_FIELD and r.get(STATUS_FIELD[r.kind]) == status
        ]
    return kind, records


#: Columns of free text, which wrap; every other column (ids, dates, choices, counts) is kept
#: whole, on one line.
TEXT_FIELDS = frozenset({"title", *(name for spec in KINDS.values() for name in spec.wrap)})
#: The columns beyond kind, id and title that give way first when the terminal is narrow: the
#: later in its kind's list, the sooner a column is left out (the JSON keeps every field).
KEEP_FIRST: dict[str | None, tuple[str, ...]] = {
    **{name: spec.keep_first for name, spec in KINDS.items()},
    None: ("status",),
}
#: The room a title keeps, at least, before other columns are left out to make it: about
#: five words, so that a row can be told from the next one.
TITLE_ROOM = 30
#: The least room of any other text column (a persona's role), and of the title beside the
#: status of a use case or plan or the disposition of feedback, which are what their
#: listings are for and stay as long as the title keeps this much.
TEXT_MIN = 16


def floors(names: list[str]) -> dict[int, int]:
    """The least width of each text column among ``names``, for :func:`tdekit.output.print_table`."""
    return {
        i: TITLE_ROOM if name == "title" else TEXT_MIN
        for i, name in enumerate(names) if name in TEXT_FIELDS
    }


def list_rows(
    records: list[Record], kind: str | None, width: int | None = None
) -> tuple[list[str], list[list[str]], list[int], list[str]]:
    """Column names, rows, which columns stay whole, and which were left out to fit ``width``.

    The columns are the kind's key fields (kind and status across kinds). No cell loses a
    character and only text (titles, roles) wraps: ids, dates, choices and counts stay whole on
    one line. Where they would leave the title less than :data:`TITLE_ROOM` columns (or, for
    the status of a kind that has one, :data:`TEXT_MIN`), the fields that matter least are left
    out instead.
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
    dropped = _left_out(names, rows, kind, width)
    if dropped:
        keep = [i for i, name in enumerate(names) if name not in dropped]
        names = [names[i] for i in keep]
        rows = [[row[i] for i in keep] for row in rows]
    whole = [i for i, name in enumerate(names) if name not in TEXT_FIELDS]
    return names, rows, whole, dropped


def _left_out(names: list[str], rows: list[list[str]], kind: str | None, width: int | None) -> list[str]:
    """The fields to leave out so that the text columns keep their room in ``width`` columns."""
    if width is None:
        return []
    from tdekit.output import TABLE_GAP, cells

    def needs(name: str, room: int = TEXT_MIN) -> int:
        """A column's width: the widest cell (text columns: up to ``room``) and a gap."""
        index = names.index(name)
        widest = max([cells(name), *(cells(row[index]) for row in rows)])
        return TABLE_GAP + (min(widest, room) if name in TEXT_FIELDS else widest)

    shown = [name for name in names if name not in KEEP_FIRST[kind] and name != "title"]
    used = sum(needs(name) for name in shown) - TABLE_GAP
    dropped = []
    for name in KEEP_FIRST[kind]:
        essential = kind is not None and STATUS_FIELD.get(kind) == name
        size = needs(name)
        if used + size + needs("title", TEXT_MIN if essential else TITLE_ROOM) <= width:
            used += size
        else:
            dropped.append(name)
    return dropped


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, list):
        return str(len(value))
    if hasattr(value, "isoformat"):
        return str(value.isoformat())
    return str(value)
