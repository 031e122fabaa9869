"""Create things: a project folder (``tde init``) and records from their templates (``tde new``).

:func:`write_record` is the record-writing API: the bytes of a new record of a kind, made from
the kind's template with given values, the template's comments kept. ``tde new`` writes exactly
those bytes (:func:`new_record`), and the importers to come will too.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from tdekit import clock, gitlog
from tdekit.errors import RefusedWrite, UsageError
from tdekit.fsio import LOCK_DIR, project_lock, write_file
from tdekit.records.document import Document
from tdekit.records.frontmatter import read_document, read_yaml
from tdekit.records.kinds import DEFAULT_CRITERIA as DEFAULT_CRITERIA  # re-exported
from tdekit.records.kinds import FOLDERS, KINDS, MAX_ID_LENGTH, SETTINGS_FILE, kind_for
from tdekit.records.template_text import INIT_DEFAULTS
from tdekit.records.writing import (
    FieldPath,
    document_bytes,
    edit_fields,
    reads_back,
    replace_scalar,
    set_fields,
)
from tdekit.references import FieldProblems as FieldProblems  # re-exported
from tdekit.references import field_problems
from tdekit.text import LINE_UNSAFE

SLUG = re.compile(r"[a-z0-9][a-z0-9-]*")
#: Latin letters that Unicode does not decompose into an ASCII base letter.
_LATIN = str.maketrans({
    "ß": "ss", "æ": "ae", "Æ": "ae", "œ": "oe", "Œ": "oe", "ø": "o", "Ø": "o", "ł": "l",
    "Ł": "l", "đ": "d", "Đ": "d", "ð": "d", "Ð": "d", "þ": "th", "Þ": "th", "ı": "i", "ħ": "h",
    "Ħ": "h", "ŧ": "t", "Ŧ": "t",
})
_APOSTROPHES = re.compile(r"(?<=\w)['’](?=\w)")


@dataclass
class InitResult:
    """What ``tde init`` did: the project folder, what it created, git, and notes for the user."""

    root: Path
    created: list[Path] = field(default_factory=list)
    git: str = ""
    notes: list[str] = field(default_factory=list)


def slugify(title: str) -> str:
    """A slug id from a title: ``"Marisol, tenant organizer"`` -> ``marisol-tenant-organizer``.

    Accents are dropped (``"Café"`` -> ``cafe``), apostrophes inside words vanish (``"Maria's"``
    -> ``marias``), anything else that is not a letter or digit becomes one hyphen, and a long
    slug is cut at a hyphen to at most :data:`MAX_ID_LENGTH` characters.
    """
    text = _APOSTROPHES.sub("", title.translate(_LATIN))
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")
    if len(slug) > MAX_ID_LENGTH:
        slug = slug[:MAX_ID_LENGTH].rsplit("-", 1)[0] or slug[:MAX_ID_LENGTH]
    return slug


class ProjectNameError(UsageError):
    """The name given for a new project is not one line of text."""


class IdError(UsageError):
    """No id can be made or used; ``record_id`` is the id refused, None when the title gave none."""

    def __init__(self, message: str, record_id: str | None) -> None:
        super().__init__(message)
        self.record_id = record_id


class IdTaken(RefusedWrite):
    """The id of a new record is taken: ``existing`` is the file that has it, ``case_only``
    says whether the two ids differ only by case."""

    def __init__(self, message: str, existing: str, case_only: bool) -> None:
        super().__init__(message)
        self.existing = existing
        self.case_only = case_only


def init_project(target: Path, *, name: str | None, example: bool, git: bool) -> InitResult:
    """Create the folders and a commented ``tde.yaml`` in ``target``; never overwrite anything.

    Everything that could stop the command is checked before the first write, so a refusal
    leaves the folder as it was. ``tde.yaml`` is written last: a folder is only a project once
    everything else is in place.
    """
    try:
        target = target.absolute()
    except FileNotFoundError:  # a relative path from a folder that was deleted
        raise UsageError("the current folder no longer exists; cd somewhere else") from None
    if name is not None:
        name = name.strip()
        if not name or LINE_UNSAFE.search(name):
            raise ProjectNameError("the project name must be one line of text")
    if target.exists() and not target.is_dir():
        raise UsageError(f"{target} exists and is not a folder")
    settings_path = target / SETTINGS_FILE
    if settings_path.exists() or settings_path.is_symlink():
        raise RefusedWrite(f"{target} is already a tde project: {SETTINGS_FILE} exists there")
    files = _example_files(target, name) if example else _fresh_files(target, name)
    files[settings_path] = files.pop(settings_path)  # written last
    gitignore = target / ".gitignore"
    # .tde-cache/ ignores itself (tdekit.fsio.tde_folder); a new project also says so where
    # people look. An existing .gitignore is left alone: nothing needs adding to it.
    if not (gitignore.exists() or gitignore.is_symlink()):
        files = {gitignore: f"# tde's cache and lock\n{LOCK_DIR}/\n".encode(), **files}
    folders = [target / folder for folder in FOLDERS.values()]
    _refuse_links_out(target, files, folders)
    _refuse_clashes(target, files, folders)
    result = InitResult(root=target)
    _make_folders(target, folders, files, result)
    for path, data in files.items():
        write_file(path, data, shown=path.relative_to(target).as_posix())
        result.created.append(path)
    if git:
        if gitlog.inside_work_tree(target):
            result.git = "already inside a git work tree; left it as it is"
        else:
            failure = gitlog.init(target)
            result.git = f"git init failed: {failure}" if failure else "initialised a git repository"
    return result


def _example_files(target: Path, name: str | None) -> dict[Path, bytes]:
    """The shipped example project's files, as they will be in ``target``, named ``name``."""
    from tdekit.templating import shipped_dir

    source = shipped_dir("examples")
    files: dict[Path, bytes] = {}
    for path in sorted(source.rglob("*")):
        rel = path.relative_to(source)
        if path.is_file() and not path.is_symlink() and LOCK_DIR not in rel.parts:
            files[target / rel] = path.read_bytes()
    if name:
        settings_path = target / SETTINGS_FILE
        doc = read_yaml(files[settings_path], SETTINGS_FILE)
        files[settings_path] = replace_scalar(doc, ("name",), name)
    return files


def _fresh_files(target: Path, name: str | None) -> dict[Path, bytes]:
    """A new project's commented ``tde.yaml``."""
    from tdekit.templating import environment

    text = environment().get_template("tde.yaml.j2").render(
        name=name or _title_from_folder(target),
        # for the team to replace: tde validate warns while they are left (template_text)
        **{field: default for field, (default, _) in INIT_DEFAULTS.items()},
    )
    return {target / SETTINGS_FILE: text.encode("utf-8")}


def _refuse_clashes(target: Path, files: dict[Path, bytes], folders: list[Path]) -> None:
    clashes = [p for p in files if p.exists() or p.is_symlink()]
    clashes += [p for p in folders if (p.exists() or p.is_symlink()) and not p.is_dir()]
    if clashes:
        listed = ", ".join(
            p.relative_to(target).as_posix() + ("" if p in files else " (not a folder)")
            for p in clashes[:5]
        )
        raise RefusedWrite(f"refusing to overwrite existing files in {target}: {listed}")


def _make_folders(target: Path, folders: list[Path], files: dict[Path, bytes], result: InitResult) -> None:
    try:
        target.mkdir(parents=True, exist_ok=True)
        for path in folders:
            if not path.is_dir():
                path.mkdir()
                result.created.append(path)
        for path in files:
            if not path.parent.is_dir():
                path.parent.mkdir(parents=True)
    except OSError as err:
        raise RefusedWrite(f"cannot create folders in {target}: {err.strerror}") from None


def _refuse_links_out(target: Path, files: dict[Path, bytes], record_folders: list[Path]) -> None:
    """Refuse, before anything is written, a record folder or a folder on the way to a file
    that links out of ``target``.

    Writing ``interviews/x.md`` through an ``interviews`` that is a link to another folder would
    fill that folder instead; tde reads and writes no record folder that leads out of the project.
    """
    from tdekit.records.project import outside_target

    folders = {parent for path in files for parent in path.parents if parent.is_relative_to(target)}
    folders.update(record_folders)
    for folder in sorted(folders - {target}):
        leads_to = outside_target(target, folder)
        if leads_to is not None:
            raise RefusedWrite(
                f"nothing written: {folder.relative_to(target).as_posix()}/ is a link to {leads_to}, "
                "outside the project; tde does not write through it"
            )


def _title_from_folder(folder: Path) -> str:
    words = re.sub(r"[-_]+", " ", folder.name).strip()
    return (words[:1].upper() + words[1:]) if words else "Our TDE project"


def write_record(
    kind: str,
    values: Mapping[FieldPath, object],
    body: str | None = None,
    *,
    root: Path | None = None,
    today: dt.date | None = None,
    criteria: Sequence[str] = DEFAULT_CRITERIA,
    env: Any | None = None,
) -> bytes:
    """The bytes of a new record of ``kind``: the same bytes ``tde new`` writes.

    ``values`` must hold ``id`` and ``title``; the kind's template (the project's own under
    ``root``/templates, else the shipped one) is filled with them, today's date and the
    scoring ``criteria``, then every other value is set on its field's line, the template's
    comment kept in its column (:func:`tdekit.records.writing.set_fields`; a value may be
    :class:`~tdekit.records.writing.YamlText`). ``body``, when given, replaces the template's
    body. Raises UsageError for a template that cannot be used and
    :class:`~tdekit.records.writing.FieldError` for a value that cannot be written. The values
    are not checked against the model: :func:`new_record` does that. ``env``, the environment
    of :func:`tdekit.templating.environment` for ``root``, lets a caller that writes many records
    (an import) compile the template once.
    """
    spec = KINDS[kind]
    record_id, title = str(values["id"]), str(values["title"])
    name = f"{spec.folder}/{record_id}.md"
    text = _render(root, spec.template, env, id=record_id, title=title,
                   today=(today or clock.today()).isoformat(), kind=kind, criteria=list(criteria))
    doc = read_document(text.encode("utf-8"), name)
    if doc.data is None:
        first = doc.problems[0].format() if doc.problems else "no front matter"
        raise UsageError(f"the template {spec.template} does not make a valid record: {first}")
    if doc.data.get("id") != record_id or doc.data.get("title") != title:
        raise UsageError(
            f"the template {spec.template} must write 'id: {{{{ id | yaml }}}}' and "
            "'title: {{ title | yaml }}' so that they read back as given"
        )
    others = {path: value for path, value in values.items() if path not in ("id", "title")}
    raw = set_fields(text.encode("utf-8"), others, align_comments=True, name=name)
    return raw if body is None else _with_body(raw, body, name)


def _with_body(raw: bytes, body: str, name: str) -> bytes:
    """``raw`` with ``body`` after its front matter and a blank line, in the file's line ends."""
    doc = read_document(raw, name)
    head = "".join(doc.text.splitlines(keepends=True)[: doc.body_line - 1])
    if not head.endswith("\n"):
        head += doc.newline
    return document_bytes(doc, head + _body_text(body, doc.newline))


def _body_text(body: str, newline: str) -> str:
    """A record's body as written after its front matter: a blank line, then the text without
    the blank lines around it, each line ended with ``newline``; nothing for an empty body."""
    lines = ["", *body.strip("\r\n").splitlines()] if body.strip() else []
    return "".join(line + newline for line in lines)


class RecordWriter:
    """Makes the bytes of many new records of one kind, as :func:`write_record` does, reading
    each only once: the template is filled once, and each record's values are put in its lines
    and read back with the record (the reading is returned for the border to check).

    The first record is made both ways and compared; if a project's own template makes them
    differ, every record is made by :func:`write_record`.
    """

    def __init__(self, kind: str, *, root: Path | None, today: dt.date,
                 criteria: Sequence[str] = DEFAULT_CRITERIA) -> None:
        from tdekit.templating import environment

        self.kind = kind
        self.options: dict[str, Any] = {"root": root, "today": today, "criteria": criteria, "env": environment(root)}
        raw = write_record(kind, {"id": "tde-placeholder", "title": "Placeholder"}, **self.options)
        self.template = read_document(raw, f"{KINDS[kind].folder}/tde-placeholder.md")
        self.fast: bool | None = None  # known after the first record

    def write(self, values: Mapping[FieldPath, object], body: str) -> tuple[bytes, Document]:
        """The new record's bytes and its reading; ``values`` hold ``id`` and ``title``."""
        name = f"{KINDS[self.kind].folder}/{values['id']}.md"
        if self.fast is not False:
            made = self._fast(values, body, name)
            if made is not None and self.fast is None:
                self.fast = made[0] == write_record(self.kind, values, body, **self.options)
            if made is not None and self.fast:
                return made
            self.fast = False
        raw = write_record(self.kind, values, body, **self.options)
        return raw, read_document(raw, name)

    def _fast(self, values: Mapping[FieldPath, object], body: str, name: str) -> tuple[bytes, Document] | None:
        doc = self.template
        edited = edit_fields(doc, {(k,) if isinstance(k, str) else k: v for k, v in values.items()}, align=True)
        if edited is None:
            return None
        front, expected = edited
        head = front[: len(front) - len(doc.body.encode("utf-8"))] if doc.body else front
        text = _body_text(body, doc.newline)
        raw = head + text.encode("utf-8")
        made = read_document(raw, name)
        if made.body != text or not reads_back(doc, made, expected):
            return None
        return raw, made


def new_record(
    root: Path,
    kind_name: str,
    title: str,
    *,
    record_id: str | None = None,
    values: Mapping[FieldPath, object] | None = None,
    settings: dict[str, Any] | None = None,
    today: dt.date | None = None,
) -> Path:
    """Write a new record of ``kind_name`` from its template (:func:`write_record`); return its path.

    The title is trimmed of surrounding spaces; the id is made from it unless ``record_id`` is
    given. The template leaves required fields empty for the person to fill in; what
    ``values`` must not do is add a problem of its own (a wrong type, an unknown field or
    choice): :class:`FieldProblems`. Nothing is written when any of it is refused.
    """
    kind = kind_for(kind_name)
    if kind is None:
        raise UsageError(f"unknown kind '{kind_name}'; choose one of: {', '.join(KINDS)}")
    title = title.strip()
    if not title:
        raise UsageError("the title is empty")
    if LINE_UNSAFE.search(title):
        raise UsageError("the title contains a line break or control character")
    new_id = _new_id(title, record_id)
    criteria = list((settings or {}).get("scoring", {}).get("criteria", DEFAULT_CRITERIA))
    name = f"{FOLDERS[kind]}/{new_id}.md"
    template = write_record(kind, {"id": new_id, "title": title}, root=root, today=today, criteria=criteria)
    raw = template
    if values:
        raw = set_fields(template, values, align_comments=True, name=name)
        refused = field_problems(root, kind, values, raw, template, name)
        if refused is not None:
            raise refused
    return _create(root, kind, new_id, raw)


def _new_id(title: str, record_id: str | None) -> str:
    if record_id is not None and not record_id.strip():
        raise IdError("the id given is empty", record_id)
    new_id = record_id if record_id is not None else slugify(title)
    if not new_id:
        raise IdError(f"cannot make an id from the title {title!r}", None)
    if not SLUG.fullmatch(new_id) or len(new_id) > MAX_ID_LENGTH:
        raise IdError(
            f"{new_id!r} is not a valid id: use lower-case letters, digits and hyphens, "
            f"starting with a letter or digit, at most {MAX_ID_LENGTH} characters",
            new_id,
        )
    return new_id


def _create(root: Path, kind: str, new_id: str, raw: bytes) -> Path:
    """Write ``raw`` as the new record file, under the project's lock; refuse a taken id."""
    folder = root / FOLDERS[kind]
    path = folder / f"{new_id}.md"
    _refuse_existing(root, new_id)  # before the lock too: a refusal leaves no trace at all
    with project_lock(root, FOLDERS.values()):
        _refuse_existing(root, new_id)
        if folder.is_symlink() and not folder.resolve().is_relative_to(root.resolve()):
            raise RefusedWrite(
                f"{FOLDERS[kind]}/ is a link to {folder.resolve()}, outside the project; "
                "tde does not write through it"
            )
        try:
            folder.mkdir(exist_ok=True)
        except OSError as err:
            raise RefusedWrite(f"cannot create {FOLDERS[kind]}/: {err.strerror}") from None
        write_file(path, raw, shown=path.relative_to(root).as_posix())
    return path


def _render(root: Path | None, template: str, given: Any | None = None, **values: Any) -> str:
    """The record template rendered, or a UsageError that names the template file and line."""
    from tdekit.templating import environment

    env = given if given is not None else environment(root)
    try:
        text = env.get_template(template).render(**values)
        source = env.loader.get_source(env, template)[0] if env.loader is not None else ""
        crlf = source.partition("\n")[0].endswith("\r")
    except Exception as err:
        problem = _template_problem(env, root, template, err)
        if problem is None:  # a shipped template failing on its own is a bug: let it show
            raise
        raise UsageError(problem) from None
    if crlf:  # a project's own template saved on Windows: Jinja writes LF, keep the CRLF
        text = text.replace("\n", "\r\n")
    return text


def _template_problem(env: Any, root: Path | None, template: str, err: Exception) -> str | None:
    """``templates/records/x.md.j2:4: 'nope' is undefined`` for a template that fails.

    None for an error that is not Jinja's and did not come from a project's own template.
    """
    import jinja2

    from tdekit.templating import innermost_template, is_own, refusal

    refused = refusal(err, env)
    if refused is not None:
        where, _, reason = refused.partition(": ")
        return f"{where}: the template cannot be used: {reason}"
    where = template
    own = root / "templates" / template if root is not None else None
    if own is not None and root is not None and own.is_file():
        where = own.relative_to(root).as_posix()
    line = getattr(err, "lineno", None)
    path = None
    if line is None:  # a render-time error: the template's frame in the traceback says where
        path, line = innermost_template(err, env)
    if isinstance(err, jinja2.TemplateNotFound):
        reason = "it is missing"
    elif isinstance(err, jinja2.TemplateError):
        reason = getattr(err, "message", None) or str(err)
    elif path is not None and is_own(path, env):
        reason = f"{type(err).__name__}: {err}"
    else:
        return None
    return f"{where}{f':{line}' if line else ''}: the template cannot be used: {reason}"


def _refuse_existing(root: Path, new_id: str) -> None:
    for folder in FOLDERS.values():
        directory = root / folder
        if not directory.is_dir():
            continue
        for existing in directory.glob("*.md"):
            stem = existing.name[:-3]
            rel = f"{folder}/{existing.name}"
            if stem == new_id:
                raise IdTaken(f"{rel} already exists; ids are unique across the project", rel, False)
            if stem.lower() == new_id.lower():
                raise IdTaken(f"{new_id!r} differs only by case from {rel}", rel, True)
