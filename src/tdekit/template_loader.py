"""Where templates come from: regular files inside a templates folder, read as UTF-8, and nothing else.

This is the loader of the one Jinja environment (:func:`tdekit.templating.environment`), so
every template, the one a command asks for and every ``{% include %}``, ``{% import %}`` and
``{% extends %}`` inside it, is found here. A name is looked up in the project's own
``templates/`` first, then in tdekit's shipped folder.

* A name never climbs out of its folder: Jinja's own rule refuses ``..`` in a template name.
* In the project's ``templates/`` nothing on the way to a template may be a symbolic link, the
  folder itself included, and the template must be a regular file: a link could lead to a
  private interview or to any file on the machine, and a pipe would hang the command. Such a
  template is refused, not skipped, so the shipped template does not stand in unnoticed.
* In the shipped folder a link is followed only when it stays inside that folder (some
  installers link files).
* A template that cannot be read, or is not UTF-8, is refused with its line.

A refusal is a :class:`TemplateRefused`: a Jinja error, so the command that rendered names the
template that asked for it and the line (see :func:`tdekit.templating.explain`).
"""

from __future__ import annotations

import os
import stat
from collections.abc import Callable
from pathlib import Path
from typing import Any, NamedTuple

import jinja2
from jinja2.loaders import split_template_path

#: Why a project's template that is a link is refused.
LINKED = "it is a symbolic link; tde uses only regular files inside templates/ as the project's templates"


class TemplateRefused(jinja2.TemplateError):
    """A template file tde will not use: ``shown`` is its path as its author knows it."""

    def __init__(self, shown: str, reason: str, line: int | None = None) -> None:
        super().__init__(f"{shown}{f':{line}' if line else ''}: {reason}")
        self.shown = shown
        self.reason = reason
        self.line = line


class Folder(NamedTuple):
    """A folder of templates: where it is, how its templates are named, whether it is the project's."""

    path: Path
    shown: str  # "templates/" for the project's, "tdekit's " for the shipped one
    own: bool


class TemplateLoader(jinja2.BaseLoader):
    """Templates from ``folders``, first match wins, under the rules of this module."""

    def __init__(self, folders: list[Folder]) -> None:
        self.folders = folders
        #: As FileSystemLoader names it: the folders that template frames are matched against.
        self.searchpath = [str(folder.path) for folder in folders]

    def get_source(
        self, environment: jinja2.Environment, template: str
    ) -> tuple[str, str, Callable[[], bool]]:
        pieces = split_template_path(template)  # refuses ".." with TemplateNotFound
        for folder in self.folders if pieces else ():
            path = _find(folder, pieces)
            if path is None:
                continue
            source, mtime = _read(path, folder.shown + "/".join(pieces))
            return source, str(path), lambda path=path, mtime=mtime: _mtime(path) == mtime
        raise jinja2.TemplateNotFound(template)

    def list_templates(self) -> list[str]:  # pragma: no cover - Jinja asks only for compile_templates
        raise TypeError("this loader cannot list its templates")


def _find(folder: Folder, pieces: list[str]) -> Path | None:
    """The file ``pieces`` names in ``folder``, None when there is none; refuses a link or a non-file."""
    if folder.own:
        try:
            st = os.lstat(folder.path)
        except OSError:
            return None
        if stat.S_ISLNK(st.st_mode):
            raise TemplateRefused(folder.shown, LINKED)
    current = folder.path
    for depth, piece in enumerate(pieces, start=1):
        current = current / piece
        try:
            st = os.lstat(current)
        except (FileNotFoundError, NotADirectoryError):
            return None
        except OSError as err:
            raise TemplateRefused(_shown(folder, pieces[:depth]), f"cannot read it ({err.strerror})") from None
        if stat.S_ISLNK(st.st_mode):
            st = _follow(folder, current, pieces[:depth])
        if depth < len(pieces) and not stat.S_ISDIR(st.st_mode):
            return None
    if not stat.S_ISREG(st.st_mode):
        raise TemplateRefused(_shown(folder, pieces), "it is not a regular file; a template must be one")
    return current


def _follow(folder: Folder, path: Path, pieces: list[str]) -> os.stat_result:
    """The status of what the link ``path`` leads to, when the folder's rules allow following it."""
    if folder.own or not path.resolve().is_relative_to(folder.path.resolve()):
        raise TemplateRefused(_shown(folder, pieces), LINKED)
    try:
        return path.stat()
    except OSError as err:
        raise TemplateRefused(_shown(folder, pieces), f"cannot read it ({err.strerror})") from None


def _shown(folder: Folder, pieces: list[str]) -> str:
    return folder.shown + "/".join(pieces)


def _read(path: Path, shown: str) -> tuple[str, int]:
    """The text of the template file and its modification time; never blocks, never follows a link."""
    from tdekit.fsio import NotRegular, read_regular

    try:
        raw, status = read_regular(path)
    except NotRegular:
        raise TemplateRefused(shown, "it is not a regular file; a template must be one") from None
    except OSError as err:
        reason = LINKED if path.is_symlink() else f"cannot read it ({err.strerror})"
        raise TemplateRefused(shown, reason) from None
    try:
        return raw.decode("utf-8"), status.st_mtime_ns
    except UnicodeDecodeError as err:
        line = raw.count(b"\n", 0, err.start) + 1
        raise TemplateRefused(
            shown, f"byte 0x{raw[err.start]:02x} is not valid UTF-8; save the template as UTF-8", line
        ) from None


def _mtime(path: Path) -> int | None:
    try:
        return path.stat().st_mtime_ns
    except OSError:
        return None


def loader(project_root: Path | None, shipped: Path, shipped_shown: str) -> Any:
    """The loader for a project (or none): its own ``templates/`` first, then ``shipped``."""
    folders = []
    if project_root is not None:
        own = project_root.absolute() / "templates"
        if own.is_symlink() or own.is_dir():
            folders.append(Folder(own, "templates/", own=True))
    folders.append(Folder(shipped, shipped_shown, own=False))
    return TemplateLoader(folders)
