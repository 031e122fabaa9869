"""Problems found in a project: what ``tde validate`` reports, one per line."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

Severity = Literal["error", "warning"]


@dataclass(frozen=True, order=True)
class Problem:
    """One located problem. ``line`` and ``column`` are 1-based; ``None`` where unknown."""

    path: str
    line: int | None
    column: int | None
    severity: Severity
    code: str
    message: str

    def sort_key(self) -> tuple[str, int, int, str, str]:
        return (self.path, self.line or 0, self.column or 0, self.code, self.message)

    def where(self) -> str:
        """``path:line:col``, or as much of it as is known."""
        where = self.path
        if self.line is not None:
            where += f":{self.line}"
            if self.column is not None:
                where += f":{self.column}"
        return where

    def format(self) -> str:
        """The ``path:line:col: severity: message [code]`` form of the brief."""
        return f"{self.where()}: {self.severity}: {self.message} [{self.code}]"

    def as_json(self) -> dict[str, object]:
        return {
            "path": self.path,
            "line": self.line,
            "column": self.column,
            "severity": self.severity,
            "code": self.code,
            "message": self.message,
        }


def has_errors(problems: list[Problem], *, strict: bool = False) -> bool:
    """True when any problem should fail the run (warnings count with ``strict``)."""
    return any(p.severity == "error" or strict for p in problems)
