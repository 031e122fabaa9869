"""One family of errors, each carrying a ready-to-print message and an exit code.

The command line catches :class:`TdeError` once, prints its message on stderr and exits
with its code. Anything else that escapes is a bug and is allowed to surface in tests.
"""

from __future__ import annotations

#: Exit codes of the brief: 0 success, 1 the project has problems, 2 wrong usage.
EXIT_OK = 0
EXIT_PROBLEMS = 1
EXIT_USAGE = 2


class TdeError(Exception):
    """Base error: ``str(err)`` is the message shown to the user."""

    exit_code = EXIT_PROBLEMS

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class UsageError(TdeError):
    """The command was called wrongly (unknown kind, bad option value)."""

    exit_code = EXIT_USAGE


class SettingsError(TdeError):
    """``tde.yaml`` is missing or unreadable, or no project could be found."""

    exit_code = EXIT_USAGE


class ProjectError(TdeError):
    """The project has a problem that stops the command (an invalid record, a missing id)."""

    exit_code = EXIT_PROBLEMS


class MissingTool(TdeError):
    """A program or optional package the command needs is not installed (a PDF printer, python-docx)."""

    exit_code = EXIT_USAGE


class RefusedWrite(TdeError):
    """A write was refused: the target exists, is a symlink, or cannot be written."""

    exit_code = EXIT_PROBLEMS
