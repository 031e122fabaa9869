"""A record and a loaded project: what the rest of tdekit works with once files are read.

Reading (:mod:`tdekit.records.project`) and the cache (:mod:`tdekit.records.cache`) both make
:class:`Record` values; neither needs the other to do so.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

from tdekit.errors import SettingsError
from tdekit.problems import Problem
from tdekit.records.frontmatter import Document
from tdekit.records.kinds import KINDS, SETTINGS_FILE
from tdekit.records.values import build

if TYPE_CHECKING:
    from tdekit.records.models import RecordValues

V = TypeVar("V")

#: Kind -> its model class, looked up once.
_MODELS: dict[str, type[RecordValues]] = {}


@dataclass
class Record:
    """One record file: its kind and id, its checked values (None when invalid), its places.

    :attr:`values` are the checked values: a frozen instance of the kind's class in
    :mod:`tdekit.records.models`, built from ``data`` on first use. ``data`` holds the same
    values as plain data, with only the fields the file sets: what the cache keeps and what
    :attr:`values` are built from. Code that reads a field reads :attr:`values` (valid records
    only) or :meth:`get` (the rules across records, which look at files with problems too).
    """

    kind: str
    id: str
    rel: str
    doc: Document
    data: dict[str, Any] | None
    _values: RecordValues | None = field(default=None, repr=False, compare=False)

    @property
    def valid(self) -> bool:
        return self.data is not None

    @property
    def values(self) -> RecordValues | None:
        """The checked values, typed; None when the file has problems."""
        if self._values is None and self.data is not None:
            model = _MODELS.get(self.kind) or _MODELS.setdefault(self.kind, KINDS[self.kind].model())
            self._values = build(model, self.data)
        return self._values

    def values_as(self, model: type[V]) -> V | None:
        """The checked values when they are a ``model`` (a kind's class), else None."""
        values = self.values
        return values if isinstance(values, model) else None

    @property
    def title(self) -> str:
        source = self.data if self.data is not None else (self.doc.data or {})
        value = source.get("title")
        return value if isinstance(value, str) else self.id

    def get(self, name: str, default: Any = None) -> Any:
        """A field of the checked values, else of the raw front matter, else ``default``.

        For code that looks at a file with problems too: the rules across records, the status,
        choosing a plan, the redaction check. Anything that needs only valid records reads
        :attr:`values`.
        """
        for source in (self.data, self.doc.data):
            if source is not None and name in source:
                return source[name]
        return default


@dataclass
class Project:
    """A loaded project. ``settings`` is None when ``tde.yaml`` could not be read."""

    root: Path
    settings: dict[str, Any] | None
    records: list[Record] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    #: Kind folder -> where it leads, for the folders left unread: links out of the project.
    outside: dict[str, str] = field(default_factory=dict)

    def of_kind(self, kind: str) -> list[Record]:
        return [r for r in self.records if r.kind == kind]

    def by_id(self) -> dict[str, Record]:
        """Records by id; the first one read wins where ids repeat (validate reports that)."""
        index: dict[str, Record] = {}
        for record in self.records:
            index.setdefault(record.id, record)
        return index

    def require_settings(self) -> dict[str, Any]:
        """The settings, or a SettingsError that lists what is wrong with ``tde.yaml``."""
        if self.settings is None:
            details = "\n".join(
                p.format() for p in self.problems if p.path == SETTINGS_FILE
            )
            raise SettingsError(f"{SETTINGS_FILE} cannot be used:\n{details}")
        return self.settings
