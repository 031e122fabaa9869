"""Create things: a project folder (``tde init``) and a record from its template (``tde new``)."""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from tdekit import gitlog
from tdekit.errors import RefusedWrite, UsageError
from tdekit.frontmatter import Document, read_document, read_yaml, replace_scalar
from tdekit.fsio import LOCK_DIR, project_lock, write_file
from tdekit.kinds import FOLDERS, SETTINGS_FILE, kind_for

SLUG = re.compile(r"[a-z0-9][a-z0-9-]*")
MAX_ID_LENGTH = 80
DEFAULT_CRITERIA = ("capacity", "interest", "partner_support", "data_gap", "impact")
_CONTROL = re.compile(r"[\x00-\x1f\x7f\u2028\u2029]")


@dataclass
class InitResult:
    root: Path
    created: list[Path] = field(default_factory=list)
    git: str = ""


def slugify(title: str) -> str:
    """A slug id from a title: ``"Marisol, tenant organizer"`` -> ``marisol-tenant-organizer``."""
    ascii_text = unicodedata.normalize("NFKD", title).encode("ascii", "ignore").decode("ascii")
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")
    if len(slug) > MAX_ID_LENGTH:
        slug = slug[:MAX_ID_LENGTH].rsplit("-", 1)[0] or slug[:MAX_ID_LENGTH]
    return slug


def init_project(
    target: Path, *, name: str | None, example: bool, git: bool, today: dt.date | None = None
) -> InitResult:
    """Create the folders and a commented ``tde.yaml`` in ``target``; never overwrite anything."""
    from tdekit.templating import environment, shipped_dir

    target = target.absolute()
    if target.exists() and not target.is_dir():
        raise UsageError(f"{target} exists and is not a folder")
    if (target / SETTINGS_FILE).exists():
        raise RefusedWrite(f"{target} is already a tde project: {SETTINGS_FILE} exists there")
    files: dict[Path, bytes] = {}
    if example:
        source = shipped_dir("examples")
        for path in sorted(source.rglob("*")):
            if path.is_file() and not path.is_symlink():
                files[target / path.relative_to(source)] = path.read_bytes()
        if name:
            settings = target / SETTINGS_FILE
            files[settings] = replace_scalar(read_yaml(files[settings], SETTINGS_FILE), ("name",), name)
    else:
        text = environment().get_template("tde.yaml.j2").render(
            name=name or _title_from_folder(target),
            organization="Our open data program",
            focus_area="TBD: the issue area chosen in Step 1 (Find)",
        )
        files[target / SETTINGS_FILE] = text.encode("utf-8")
    files.setdefault(target / ".gitignore", f"# tde's cache and lock\n{LOCK_DIR}/\n".encode())
    clashes = [p for p in files if p.exists() or p.is_symlink()]
    clashes = [p for p in clashes if p.name != ".gitignore"]
    if clashes:
        listed = ", ".join(str(p.relative_to(target)) for p in clashes[:5])
        raise RefusedWrite(f"refusing to overwrite existing files in {target}: {listed}")
    result = InitResult(root=target)
    try:
        target.mkdir(parents=True, exist_ok=True)
        for folder in FOLDERS.values():
            path = target / folder
            if not path.exists():
                path.mkdir()
                result.created.append(path)
    except OSError as err:
        raise RefusedWrite(f"cannot create {target}: {err.strerror}") from None
    for path, data in files.items():
        if path.name == ".gitignore" and (path.exists() or path.is_symlink()):
            continue  # the user's own .gitignore is theirs
        path.parent.mkdir(parents=True, exist_ok=True)
        write_file(path, data, shown=str(path.relative_to(target)))
        result.created.append(path)
    if git:
        if gitlog.inside_work_tree(target):
            result.git = "already inside a git work tree; left it as it is"
        else:
            failure = gitlog.init(target)
            result.git = f"git init failed: {failure}" if failure else "initialised a git repository"
    return result


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
    """Write a new record of ``kind_name`` from its template; return its path."""
    from tdekit.schema import check_record
    from tdekit.templating import environment

    kind = kind_for(kind_name)
    if kind is None:
        raise UsageError(f"unknown kind '{kind_name}'; choose one of: {', '.join(FOLDERS)}")
    title = title.strip()
    if not title:
        raise UsageError("the title is empty")
    if _CONTROL.search(title):
        raise UsageError("the title contains a line break or control character")
    new_id = record_id if record_id is not None else slugify(title)
    if not new_id:
        raise UsageError(f"cannot make an id from the title {title!r}; give one with --id")
    if not SLUG.fullmatch(new_id) or len(new_id) > MAX_ID_LENGTH:
        raise UsageError(
            f"{new_id!r} is not a valid id: use lower-case letters, digits and hyphens, "
            f"starting with a letter or digit, at most {MAX_ID_LENGTH} characters"
        )
    criteria = list((settings or {}).get("scoring", {}).get("criteria", DEFAULT_CRITERIA))
    today = today or dt.date.today()
    text = environment(root).get_template(f"records/{kind}.md.j2").render(
        id=new_id, title=title, today=today.isoformat(), kind=kind, criteria=criteria
    )
    doc = read_document(text.encode("utf-8"), f"{FOLDERS[kind]}/{new_id}.md")
    if doc.data is None or doc.data.get("title") != title or doc.data.get("id") != new_id:
        raise UsageError(f"the template records/{kind}.md.j2 does not write the id and title back")
    fields: set[str] = set()
    for assignment in sets or []:
        field_path, value = _parse_assignment(assignment)
        doc = read_document(_set_value(doc, field_path, value).encode("utf-8"), doc.path)
        fields.add(field_path[0])
    if doc.data is None:
        raise UsageError("the --set values do not make valid YAML: " + "; ".join(
            p.message for p in doc.problems))
    check_record(doc, kind)
    wrong = [p for p in doc.problems if p.severity == "error" and _field_of(doc, p) in fields]
    if wrong:
        raise UsageError("\n".join(f"--set: {p.message}" for p in wrong))
    path = root / FOLDERS[kind] / f"{new_id}.md"
    with project_lock(root):
        _refuse_existing(root, new_id)
        path.parent.mkdir(exist_ok=True)
        write_file(path, doc.text.encode("utf-8"), shown=path.relative_to(root).as_posix())
    return path


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
    return path, value


def _yaml_value(value: str) -> str:
    """``value`` as YAML: written as given when it reads back as itself, else quoted."""
    from tdekit.frontmatter import yaml_scalar

    probe = read_yaml(f"v: {value}\n".encode(), "--set")
    if probe.data is not None and not probe.problems:
        parsed = probe.data.get("v")
        if isinstance(parsed, str) and parsed != value:
            return yaml_scalar(value)
        if parsed is None and value.strip() not in ("", "null", "~"):
            return yaml_scalar(value)
        return value
    return yaml_scalar(value)


def _set_value(doc: Document, path: tuple[str, ...], value: str) -> str:
    """The document's text with ``path`` set to ``value`` (YAML), changing only that line."""
    text = doc.text
    lines = text.splitlines(keepends=True)
    written = _yaml_value(value)
    key = doc.key_spans.get(path)
    if key is None:
        if len(path) > 1:
            raise UsageError(f"--set {'.'.join(path)}: the template has no such field to fill in")
        close = doc.body_line - 2  # index of the closing '---' line
        lines.insert(close, f"{path[0]}: {written}{doc.newline}")
        return "".join(lines)
    span = doc.value_spans.get(path)
    line = lines[key.line - 1]
    colon = line.index(":", key.end_column - 1)
    if span is not None and span.end_line > key.line:
        raise UsageError(f"--set {'.'.join(path)}: the template holds a block there; edit the file")
    comment = _comment_start(line, colon + 1)
    ending = line[len(line.rstrip("\r\n")) :]
    tail = line[comment:].rstrip("\r\n") if comment is not None else ""
    head = f"{line[:colon + 1]} {written}"
    if comment is not None:  # keep the comment, in its column where the value leaves room
        head = head.ljust(comment) if len(head) < comment else head + "  "
    lines[key.line - 1] = f"{head}{tail}{ending}"
    return "".join(lines)


def _comment_start(line: str, start: int) -> int | None:
    """Where a trailing ``# comment`` begins on a one-line YAML value, outside quotes."""
    quote = ""
    for index in range(start, len(line)):
        char = line[index]
        if quote:
            if char == quote:
                quote = ""
        elif char in "\"'":
            quote = char
        elif char == "#" and line[index - 1] in " \t":
            return index
    return None


def _field_of(doc: Document, problem: Any) -> str | None:
    """The top-level field a problem is about, found by its line."""
    for path, span in doc.key_spans.items():
        if span.line == problem.line:
            return str(path[0])
    for path, span in doc.value_spans.items():
        if path and span.line == problem.line:
            return str(path[0])
    return None
