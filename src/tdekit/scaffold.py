"""Create things: a project folder (``tde init``) and a record from its template (``tde new``)."""

from __future__ import annotations

import datetime as dt
import difflib
import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from tdekit import chars, gitlog
from tdekit.errors import RefusedWrite, UsageError
from tdekit.frontmatter import (
    Document,
    document_bytes,
    read_document,
    read_yaml,
    replace_scalar,
)
from tdekit.fsio import LOCK_DIR, project_lock, write_file
from tdekit.kinds import FOLDERS, MAX_ID_LENGTH, REFERENCES, SETTINGS_FILE, kind_for
from tdekit.template_text import INIT_DEFAULTS

SLUG = re.compile(r"[a-z0-9][a-z0-9-]*")
DEFAULT_CRITERIA = ("capacity", "interest", "partner_support", "data_gap", "impact")
#: What a title or a --set value may not hold: line breaks, other control characters, and the
#: invisible bidi controls that would make it display in another order than it is written in.
_CONTROL = chars.LINE_UNSAFE
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


def init_project(target: Path, *, name: str | None, example: bool, git: bool) -> InitResult:
    """Create the folders and a commented ``tde.yaml`` in ``target``; never overwrite anything.

    Everything that could stop the command is checked before the first write, so a refusal
    leaves the folder as it was. ``tde.yaml`` is written last: a folder is only a project once
    everything else is in place.
    """
    from tdekit.templating import environment, shipped_dir

    try:
        target = target.absolute()
    except FileNotFoundError:  # a relative path from a folder that was deleted
        raise UsageError("the current folder no longer exists; cd somewhere else") from None
    if name is not None:
        name = name.strip()
        if not name or _CONTROL.search(name):
            raise UsageError("--name must be one line of text")
    if target.exists() and not target.is_dir():
        raise UsageError(f"{target} exists and is not a folder")
    settings_path = target / SETTINGS_FILE
    if settings_path.exists() or settings_path.is_symlink():
        raise RefusedWrite(f"{target} is already a tde project: {SETTINGS_FILE} exists there")
    files: dict[Path, bytes] = {}
    if example:
        source = shipped_dir("examples")
        for path in sorted(source.rglob("*")):
            rel = path.relative_to(source)
            if path.is_file() and not path.is_symlink() and LOCK_DIR not in rel.parts:
                files[target / rel] = path.read_bytes()
        if name:
            doc = read_yaml(files[settings_path], SETTINGS_FILE)
            files[settings_path] = replace_scalar(doc, ("name",), name)
    else:
        text = environment().get_template("tde.yaml.j2").render(
            name=name or _title_from_folder(target),
            # for the team to replace: tde validate warns while they are left (template_text)
            **{field: default for field, (default, _) in INIT_DEFAULTS.items()},
        )
        files[settings_path] = text.encode("utf-8")
    files[settings_path] = files.pop(settings_path)  # written last
    gitignore = target / ".gitignore"
    # .tde-cache/ ignores itself (tdekit.fsio.tde_folder); a new project also says so where
    # people look. An existing .gitignore is left alone: nothing needs adding to it.
    if not (gitignore.exists() or gitignore.is_symlink()):
        files = {gitignore: f"# tde's cache and lock\n{LOCK_DIR}/\n".encode(), **files}
    folders = [target / folder for folder in FOLDERS.values()]
    _refuse_links_out(target, files)
    clashes = [p for p in files if p.exists() or p.is_symlink()]
    clashes += [p for p in folders if (p.exists() or p.is_symlink()) and not p.is_dir()]
    if clashes:
        listed = ", ".join(
            p.relative_to(target).as_posix() + ("" if p in files else " (not a folder)")
            for p in clashes[:5]
        )
        raise RefusedWrite(f"refusing to overwrite existing files in {target}: {listed}")
    result = InitResult(root=target)
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


def _refuse_links_out(target: Path, files: dict[Path, bytes]) -> None:
    """Refuse, before anything is written, a folder on the way to a file that links out of ``target``.

    Writing ``interviews/x.md`` through an ``interviews`` that is a link to another folder would
    fill that folder instead; tde reads and writes no record folder that leads out of the project.
    """
    from tdekit.project import outside_target

    folders = {parent for path in files for parent in path.parents if parent.is_relative_to(target)}
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


def new_record(
    root: Path,
    kind_name: str,
    title: str,
    *,
    record_id: str | None = None,
    sets: list[str] | None = None,
    settings: dict[str, Any] | None = None,
    today: dt.date | None = None,
) -> Path:
    """Write a new record of ``kind_name`` from its template; return its path.

    The title is trimmed of surrounding spaces. ``sets`` are ``FIELD=VALUE`` strings whose
    value is read as YAML and written on the field's line of the template, its comment kept.
    Nothing is written when any of it is refused.
    """
    from tdekit.schema import check_record

    kind = kind_for(kind_name)
    if kind is None:
        raise UsageError(f"unknown kind '{kind_name}'; choose one of: {', '.join(FOLDERS)}")
    title = title.strip()
    if not title:
        raise UsageError("the title is empty")
    if _CONTROL.search(title):
        raise UsageError("the title contains a line break or control character")
    if record_id is not None and not record_id.strip():
        raise UsageError("the id given with --id is empty; give one, or leave --id out to make it "
                         "from the title")
    new_id = record_id if record_id is not None else slugify(title)
    if not new_id:
        raise UsageError(f"cannot make an id from the title {title!r}; give one with --id")
    if not SLUG.fullmatch(new_id) or len(new_id) > MAX_ID_LENGTH:
        raise UsageError(
            f"{new_id!r} is not a valid id: use lower-case letters, digits and hyphens, "
            f"starting with a letter or digit, at most {MAX_ID_LENGTH} characters"
        )
    assignments = [_parse_assignment(assignment) for assignment in sets or []]
    criteria = list((settings or {}).get("scoring", {}).get("criteria", DEFAULT_CRITERIA))
    today = today or dt.date.today()
    template = f"records/{kind}.md.j2"
    text = _render(root, template, id=new_id, title=title, today=today.isoformat(), kind=kind,
                   criteria=criteria)
    doc = read_document(text.encode("utf-8"), f"{FOLDERS[kind]}/{new_id}.md")
    if doc.data is None:
        first = doc.problems[0].format() if doc.problems else "no front matter"
        raise UsageError(f"the template {template} does not make a valid record: {first}")
    if doc.data.get("id") != new_id or doc.data.get("title") != title:
        raise UsageError(
            f"the template {template} must write 'id: {{{{ id | yaml }}}}' and "
            "'title: {{ title | yaml }}' so that they read back as given"
        )
    check_record(doc, kind)
    expected = {(p.code, p.message) for p in doc.problems if p.severity == "error"}
    for field_path, value in assignments:
        doc = _set_value(doc, field_path, value)
    if assignments:
        check_record(doc, kind)
        wrong = _set_problems(root, kind, doc, assignments, expected)
        if wrong:
            raise UsageError("; ".join(wrong))
    folder = root / FOLDERS[kind]
    path = folder / f"{new_id}.md"
    shown = path.relative_to(root).as_posix()
    _refuse_existing(root, new_id)  # before the lock too: a refusal leaves no trace at all
    with project_lock(root):
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
        write_file(path, document_bytes(doc), shown=shown)
    return path


def _render(root: Path, template: str, **values: Any) -> str:
    """The record template rendered, or a UsageError that names the template file and line."""
    from tdekit.templating import environment

    env = environment(root)
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


def _template_problem(env: Any, root: Path, template: str, err: Exception) -> str | None:
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
    own = root / "templates" / template
    if own.is_file():
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


def _set_problems(
    root: Path,
    kind: str,
    doc: Document,
    assignments: list[tuple[tuple[str, ...], str]],
    expected: set[tuple[str, str]],
) -> list[str]:
    """What is wrong with the record once the ``--set`` values are in, one message each.

    The template leaves required fields empty for the user to fill in; what --set must not do
    is add a problem of its own: a wrong type, an unknown value or field, or an id that names
    no record of the right kind (which ``tde validate`` would refuse next).
    """
    from tdekit.references import reference_problems
    from tdekit.schema import expects_list

    wrong = [p for p in doc.problems if p.severity == "error" and (p.code, p.message) not in expected]
    messages: list[str] = []
    for path, value in assignments:
        parsed = _lookup(doc.data, path)
        if expects_list(kind, path) and not isinstance(parsed, list):
            line = doc.value_spans[path].line
            wrong = [p for p in wrong if p.line != line]  # replaced by the advice below
            name = ".".join(path)
            messages.append(
                f"--set {name}: {name} must be a list; on the command line write it in brackets, "
                f"e.g. --set '{name}=[{value.strip()}]'"
            )
    messages[:0] = [f"--set: {p.message}" for p in wrong]
    for path, _ in assignments:
        target = REFERENCES.get((kind, path[0])) if len(path) == 1 else None
        if target is not None:
            messages += reference_problems(root, f"--set {path[0]}", target, _lookup(doc.data, path))
    return messages


def _refuse_existing(root: Path, new_id: str) -> None:
    for folder in FOLDERS.values():
        directory = root / folder
        if not directory.is_dir():
            continue
        for existing in directory.glob("*.md"):
            stem = existing.name[:-3]
            if stem == new_id:
                raise RefusedWrite(
                    f"{folder}/{existing.name} already exists; ids are unique across the project"
                    " (choose another with --id)"
                )
            if stem.lower() == new_id.lower():
                raise RefusedWrite(
                    f"{new_id!r} differs only by case from {folder}/{existing.name}; "
                    "choose another id with --id"
                )


def _parse_assignment(assignment: str) -> tuple[tuple[str, ...], str]:
    name, sep, value = assignment.partition("=")
    name = name.strip()
    if not sep or not name:
        raise UsageError(f"--set takes FIELD=VALUE, not {assignment!r}")
    path = tuple(name.split("."))
    if not all(re.fullmatch(r"[a-z_][a-z0-9_]*", part) for part in path):
        raise UsageError(f"--set: {name!r} is not a field name")
    if path[0] in ("id", "title"):
        raise UsageError(f"--set cannot change {path[0]}; use the TITLE argument and --id")
    if _CONTROL.search(value):
        raise UsageError(f"--set {name}: the value contains a line break or control character")
    return path, value.strip()


def _yaml_value(name: str, value: str) -> tuple[str, Any]:
    """``value`` as YAML text and the value it stands for.

    Written as given when it reads back as itself or is a quoted YAML string, else quoted as
    text (so ``Tenants #1`` and ``a: b`` stay whole). A broken list or mapping and an
    impossible date are refused.
    """
    from tdekit.frontmatter import yaml_scalar

    probe = read_yaml(f"v: {value}\n".encode(), "--set")
    errors = [p for p in probe.problems if p.severity == "error"]
    if value.lstrip().startswith(("[", "{")) and errors:
        message = errors[0].message.removeprefix("YAML syntax error: ").split("; hint:")[0]
        raise UsageError(f"--set {name}: {value} is not a valid YAML list or mapping ({message})")
    if any(p.code == "invalid-date" for p in errors):
        raise UsageError(f"--set {name}: {value.strip()} is not a real date")
    if probe.data is None or probe.problems:
        return yaml_scalar(value), value
    parsed = probe.data.get("v")
    quoted = value.startswith(("'", '"'))  # a quoted YAML string: its quotes are not text
    if (isinstance(parsed, str) and parsed != value and not quoted) or (
        parsed is None and value not in ("", "null", "Null", "NULL", "~")
    ):
        return yaml_scalar(value), value
    return value, parsed


def _set_value(doc: Document, path: tuple[str, ...], value: str) -> Document:
    """The document with ``path`` set to ``value`` (YAML), changing only that line.

    The value replaces the old one after ``key:``; a trailing ``# comment`` stays, in its
    column where the new value leaves room.
    """
    name = ".".join(path)
    lines = doc.text.splitlines(keepends=True)
    written, expected = _yaml_value(name, value)
    key = doc.key_spans.get(path)
    if key is None:
        if len(path) > 1:
            raise UsageError(f"--set {name}: {_no_field(doc, path)}")
        close = doc.body_line - 2  # index of the closing '---' line
        lines.insert(close, f"{path[0]}: {written}{doc.newline}")
    else:
        span = doc.value_spans[path]
        if span.line != key.line or span.end_line != key.line:
            raise UsageError(f"--set {name}: the template holds a block there; edit the file instead")
        line = lines[key.line - 1]
        body = line.rstrip("\r\n")
        before, rest = body[: span.column - 1], body[span.end_column - 1 :]
        if rest.strip() and not rest.lstrip(" \t").startswith("#"):  # inside a flow collection
            spacer = "" if before.endswith((" ", "\t")) else " "
            lines[key.line - 1] = f"{before}{spacer}{written}{rest}{line[len(body):]}"
        else:
            head = f"{before.rstrip(' ')} {written}"
            if rest.strip():  # keep the comment, in its column where the value leaves room
                comment = len(body) - len(rest.lstrip(" \t"))
                head = head.ljust(comment) if len(head) < comment else head + "  "
            lines[key.line - 1] = head + rest.lstrip(" \t") + line[len(body) :]
    changed = read_document("".join(lines).encode("utf-8"), doc.path)
    if changed.data is None or _lookup(changed.data, path) != expected:
        raise UsageError(f"--set {name}: {value!r} cannot be written there; edit the file instead")
    return changed


def _no_field(doc: Document, path: tuple[str, ...]) -> str:
    """Why a nested field cannot be set, with the fields that can be."""
    parent = doc.value_spans.get(path[:-1])
    if parent is None:
        return f"the template has no field {'.'.join(path[:-1])}"
    line = doc.text.splitlines()[parent.line - 1]
    if line[parent.column - 1 : parent.column] in ("[", "{"):
        return (
            f"{'.'.join(path[:-1])} is written on one line in the template; "
            f"set it whole, e.g. --set '{'.'.join(path[:-1])}={{{path[-1]}: ...}}'"
        )
    known = [str(p[-1]) for p in doc.key_spans if p[:-1] == path[:-1]]
    guess = difflib.get_close_matches(path[-1], known, n=1, cutoff=0.6)
    hint = f"did you mean '{guess[0]}'?" if guess else f"known fields there: {', '.join(known)}"
    return f"the template has no field '{path[-1]}' in {'.'.join(path[:-1])}; {hint}"


def _lookup(data: Any, path: tuple[str, ...]) -> Any:
    for part in path:
        if not isinstance(data, dict) or part not in data:
            return None
        data = data[part]
    return data
