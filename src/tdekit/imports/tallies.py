"""``tde tally import``: the dot and card counts of a group engagement, from a CSV.

The CSV has a header with the columns ``usecase`` and ``votes``, and optionally ``cards``; each
row is one use case's counts (an empty cell counts nothing). Every row is checked before
anything is written: an id that is not a use case of the project (with a did-you-mean), a count
that is not a whole number of zero or more, a use case given twice, a row counting nothing. Any
one of them refuses the whole file. The counts replace those of the same use cases in the
engagement's ``tallies`` (a count the CSV has no column for is kept); the file is written whole
and atomically under the project lock, and only the ``tallies`` block changes. Importing the
same file twice changes nothing the second time.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from tdekit import fsio
from tdekit.errors import ProjectError, RefusedWrite, UsageError
from tdekit.records.frontmatter import read_document
from tdekit.records.kinds import FOLDERS
from tdekit.records.project import load_project
from tdekit.records.record import Project, Record
from tdekit.records.writing import Block, FieldError, set_fields
from tdekit.text import LINE_UNSAFE, closest

__all__ = ["TallyImport", "import_tallies"]

COUNTS = ("votes", "cards")


@dataclass(frozen=True)
class TallyImport:
    """What an import did: the engagement's file, the use cases counted, whether it changed."""

    path: str
    usecases: tuple[str, ...]
    changed: bool


def import_tallies(root: Path, source: Path, engagement_id: str) -> TallyImport:
    """Write the counts of the CSV ``source`` into the tallies of ``engagement_id``."""
    text = _read(source)
    with fsio.project_lock(root, FOLDERS.values()):
        project = load_project(root)
        record = _engagement(project, engagement_id)
        usecases = [r.id for r in project.of_kind("usecase")]
        counts = _rows(source, text, usecases)
        path = root / record.rel
        before = path.read_bytes()
        doc = read_document(before, record.rel)
        if doc.data is None or any(p.severity == "error" for p in doc.problems):
            raise ProjectError(f"nothing changed: {record.rel} has problems; run 'tde validate'")
        old = doc.data.get("tallies")
        tallies: dict[str, Any] = dict(old) if isinstance(old, dict) else {}  # each entry rebuilt below
        for usecase_id, given in counts.items():
            kept = tallies.get(usecase_id)
            merged = {k: v for k, v in (kept if isinstance(kept, dict) else {}).items() if k in COUNTS}
            merged.update(given)
            tallies[usecase_id] = {k: merged[k] for k in COUNTS if k in merged}
        try:
            after = set_fields(before, {"tallies": Block(tallies)}, name=record.rel)
        except FieldError:
            raise ProjectError(
                f"nothing changed: {record.rel}: its tallies are not written as a block under "
                "'tallies:'; write them so by hand, or remove them, and import again"
            ) from None
        if after != before:
            if path.is_symlink():
                raise RefusedWrite(f"nothing changed: {record.rel} is a symbolic link; tde does not write through links")
            fsio.write_file(path, after, overwrite=True, shown=record.rel)
    return TallyImport(record.rel, tuple(counts), after != before)


def _read(source: Path) -> str:
    try:
        data = source.read_bytes()
    except OSError as err:
        raise UsageError(f"{source}: cannot read the file ({err.strerror})") from None
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as err:
        raise UsageError(f"{source}: not UTF-8 text (byte {err.start + 1}); save it as UTF-8 CSV") from None


def _engagement(project: Project, engagement_id: str) -> Record:
    by_id = project.by_id()
    record = by_id.get(engagement_id)
    interviews = [r.id for r in project.of_kind("interview")]
    if record is None or record.kind != "interview":
        guess = closest(engagement_id, interviews, fold=True)
        hint = f"; did you mean '{guess}'?" if guess else ""
        raise ProjectError(f"nothing changed: no engagement '{engagement_id}' in interviews/{hint}")
    if record.get("tactic") == "interview":
        raise ProjectError(
            f"nothing changed: {record.rel} is a one-to-one interview (tactic: interview); tallies "
            "are for group engagements"
        )
    return record


def _rows(source: Path, text: str, usecases: list[str]) -> dict[str, dict[str, int]]:
    """The counts of each row, by use case id; every problem found refuses the file."""
    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        header = [cell.strip().lower() for cell in next(reader)]
    except StopIteration:
        raise UsageError(f"{source}: the file is empty; it needs a header: usecase,votes[,cards]") from None
    except csv.Error as err:
        raise UsageError(f"{source}:1: cannot read the header as CSV ({err})") from None
    missing = [c for c in ("usecase", "votes") if c not in header]
    if missing:
        raise UsageError(f"{source}:1: no column {' or '.join(missing)}; the columns are usecase, votes and optionally cards")
    problems: list[str] = []
    counts: dict[str, dict[str, int]] = {}
    first_row: dict[str, int] = {}
    try:
        for row in reader:
            number = reader.line_num
            if not any(cell.strip() for cell in row):
                continue
            cells = dict(zip(header, (cell.strip() for cell in row), strict=False))
            problem = _row(cells, usecases, first_row, number, counts)
            if problem:
                problems.append(f"{source}:{number}: {problem}")
    except csv.Error as err:
        problems.append(f"{source}:{reader.line_num}: cannot read the row as CSV ({err})")
    if problems:
        raise ProjectError("\n".join([*problems, f"nothing changed: {len(problems)} rows refused"]))
    if not counts:
        raise UsageError(f"{source}: no rows to import under the header")
    return counts


def _shown(cell: str) -> str:
    """A cell as a message may quote it: controls and bidi marks visible, long text cut."""
    text = LINE_UNSAFE.sub(lambda m: f"\\u{ord(m.group()):04x}", cell)
    return text if len(text) <= 60 else text[:59] + "…"


def _row(
    cells: dict[str, str], usecases: list[str], first_row: dict[str, int], number: int,
    counts: dict[str, dict[str, int]],
) -> str | None:
    usecase_id = cells.get("usecase", "")
    if usecase_id not in usecases:
        guess = closest(usecase_id, usecases, fold=True)
        hint = f"; did you mean '{guess}'?" if guess else ""
        return f"'{_shown(usecase_id)}' is not a use case of this project{hint}"
    if usecase_id in first_row:
        return f"'{usecase_id}' is given twice (first on line {first_row[usecase_id]})"
    first_row[usecase_id] = number
    given: dict[str, int] = {}
    for column in COUNTS:
        cell = cells.get(column, "")
        if not cell:
            continue
        if not (cell.isascii() and cell.isdigit()):
            return f"{column} for '{usecase_id}' must be a whole number of 0 or more, not '{_shown(cell)}'"
        given[column] = int(cell)
    if not given:
        return f"the row for '{usecase_id}' counts nothing; give votes, cards or both"
    counts[usecase_id] = given
    return None
