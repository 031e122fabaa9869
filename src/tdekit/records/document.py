"""A Markdown file with front matter as read: its bytes, its values and where each one sits.

:mod:`tdekit.records.frontmatter` makes these; the checks, the cache and the writer read them.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from tdekit.problems import Problem, Severity

#: A place in the front matter: the keys and list indexes that lead to a value.
Path_ = tuple[str | int, ...]

UTF8_BOM = b"\xef\xbb\xbf"


@dataclass(slots=True)
class Span:
    """Where a key or value sits in the file: 1-based lines and columns, end exclusive.

    Read-only by convention: a reader makes one for every key and value, and a frozen dataclass
    takes four times as long to make.
    """

    line: int
    column: int
    end_line: int
    end_column: int


@dataclass
class Document:
    """A Markdown file with front matter, as read: its bytes, its values and their places."""

    path: str
    raw: bytes
    text: str = ""
    bom: bool = False
    newline: str = "\n"
    data: dict[str, Any] | None = None
    key_spans: dict[Path_, Span] = field(default_factory=dict)
    value_spans: dict[Path_, Span] = field(default_factory=dict)
    #: Paths whose value already has a reported problem (later checks stay quiet about them).
    bad_paths: set[Path_] = field(default_factory=set)
    body: str = ""
    body_line: int = 1
    problems: list[Problem] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        """True when the front matter could be read into a mapping."""
        return self.data is not None

    def where(self, path: Path_, *, key: bool = False) -> tuple[int | None, int | None]:
        """The line and column to report for ``path``: its value (or key), else its nearest parent."""
        spans = self.key_spans if key else self.value_spans
        probe = path
        while True:
            span = spans.get(probe) or self.key_spans.get(probe)
            if span is not None:
                return span.line, span.column
            if not probe:
                return (1, 1) if self.value_spans else (None, None)
            probe = probe[:-1]

    def problem(
        self, path: Path_, severity: Severity, code: str, message: str, *, key: bool = False
    ) -> Problem:
        line, column = self.where(path, key=key)
        return Problem(self.path, line, column, severity, code, message)
