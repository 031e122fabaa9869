"""Write front matter back: change the values asked for and keep every other byte.

Nothing here re-serialises a document. :func:`replace_scalar` swaps the characters of one
one-line value; :func:`set_fields` adds or replaces fields, one line each, and reads the result
back to make sure that the fields asked for, and only they, changed. Comments, key order,
quoting, flow style, the BOM, CRLF line ends and the body stay as they were.

A value is a Python value (text, number, true/false, None, date, or a list or map of them,
written as one flow line) or :class:`YamlText`, YAML already written as a person typed it.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from tdekit.errors import UsageError
from tdekit.records.document import UTF8_BOM, Document, Path_
from tdekit.records.frontmatter import read_document, read_yaml
from tdekit.records.scalars import yaml_scalar
from tdekit.text import CONTROL_IN_LINE

#: A field to set: its name, a dotted path (``intervention.kind``) or the path as a tuple.
FieldPath = str | Path_


class YamlText(str):
    """A value already written as YAML (``[a, b]``, ``'quoted'``): written as it is."""

    __slots__ = ()


class Block(dict[str, Any]):
    """A map to write in block style, one entry a line (each entry's value on that line, in flow
    style): the way a person writes ``tallies``. Only for a top-level field."""

    __slots__ = ()


class FieldError(UsageError):
    """A field that :func:`set_fields` cannot write, and why.

    ``problem`` is one of the constants below; ``known`` names the fields beside a missing one.
    The message says it in neutral words; a caller that knows better (``tde new`` speaks of
    the template) says it in its own.
    """

    BLOCK = "block"  # the value is written over several lines: only one-line values are replaced
    NO_FIELD = "no-field"  # a field inside a map that the file lacks: only top-level ones are added
    NO_PARENT = "no-parent"  # the map the field belongs in is missing
    FLOW_PARENT = "flow-parent"  # the map the field belongs in is written on one line
    UNWRITABLE = "unwritable"  # written, it would not read back as the value, or would change others
    UNREADABLE = "unreadable"  # the front matter itself cannot be read

    def __init__(self, path: Path_, problem: str, *, known: tuple[str, ...] = ()) -> None:
        self.path = path
        self.problem = problem
        self.known = known
        where, parent = dotted(path), dotted(path[:-1])
        reason = {
            self.BLOCK: "the value there is written over several lines; only one-line values are replaced",
            self.NO_FIELD: f"there is no field '{path[-1]}' in {parent}",
            self.NO_PARENT: f"there is no field {parent}",
            self.FLOW_PARENT: f"{parent} is written on one line; set it whole",
            self.UNWRITABLE: "the value cannot be written there",
            self.UNREADABLE: "the front matter cannot be read",
        }[problem]
        super().__init__(f"{where}: {reason}")


def dotted(path: Path_) -> str:
    """``('intervention', 'kind')`` -> ``intervention.kind``."""
    return ".".join(map(str, path))


def document_bytes(doc: Document, text: str | None = None) -> bytes:
    """The bytes of ``doc`` (or of ``text`` in its place), with its BOM: what was read, unchanged."""
    return (UTF8_BOM if doc.bom else b"") + (doc.text if text is None else text).encode("utf-8")


def replace_scalar(doc: Document, path: Path_, value: object) -> bytes:
    """The file's bytes with the scalar at ``path`` replaced by ``value``; nothing else changes.

    Raises KeyError when ``path`` has no value, ValueError when it is not a one-line scalar or
    the document was read without keeping its text.
    """
    span = doc.value_spans[path]
    if doc.data is None or not doc.text:
        raise ValueError(f"{doc.path} was not read with its text; read it again to edit it")
    if span.line != span.end_line or isinstance(_lookup(doc.data, path), (dict, list)):
        raise ValueError(f"{dotted(path)} is not a one-line value")
    start = _offset(doc.text, span.line, span.column)
    end = _offset(doc.text, span.end_line, span.end_column)
    written = yaml_scalar(value)
    if start == end and start > 0 and doc.text[start - 1] not in " \t":
        written = " " + written  # an empty value right after 'key:' or '-' needs its space
    return document_bytes(doc, doc.text[:start] + written + doc.text[end:])


def set_fields(
    raw: bytes, fields: Mapping[FieldPath, object], *, align_comments: bool = False, name: str = "x.md"
) -> bytes:
    """``raw`` (a record file's bytes) with ``fields`` set; every other byte as it was.

    A field that the file has, written on one line, gets the new value in place of the old,
    in the old quotes where the new text allows them. A top-level field that the file lacks is
    added on a line of its own before the closing ``---``. A trailing comment stays; with
    ``align_comments`` it also keeps its column where the new value leaves room (as ``tde new``
    fills a template), otherwise every character around the value stays. Raises
    :class:`FieldError` for a field it cannot write.
    """
    paths = {(tuple(f.split(".")) if isinstance(f, str) else f): value for f, value in fields.items()}
    if len(paths) > 1:
        together = _set_together(raw, paths, align_comments, name)
        if together is not None:
            return together
    for path, value in paths.items():
        raw = _set_one(raw, path, value, align_comments, name)
    return raw


def _set_together(raw: bytes, fields: dict[Path_, object], align: bool, name: str) -> bytes | None:
    """``raw`` with every top-level field of ``fields`` set in one reading: the bytes that
    setting them one by one gives, read back once. None when it cannot be done so (a nested or
    block field, two values on one line, a value that does not read back): then they are set
    one by one, and the one at fault is named."""
    doc = read_document(raw, name)
    edited = edit_fields(doc, fields, align=align)
    if edited is None:
        return None
    changed, expected = edited
    again = read_document(changed, doc.path)
    return changed if again.body == doc.body and reads_back(doc, again, expected) else None


def edit_fields(
    doc: Document, fields: Mapping[Path_, object], *, align: bool
) -> tuple[bytes, dict[Path_, Any]] | None:
    """The bytes of ``doc`` with the top-level ``fields`` set, and the values each should read
    back as; not read back here (:func:`reads_back` does, on the caller's reading). None when
    a field is nested, a block, or shares its line with another."""
    if doc.data is None or any(len(p) != 1 or not isinstance(p[0], str) or isinstance(v, Block)
                               for p, v in fields.items()):
        return None
    lines = doc.text.splitlines(keepends=True)
    added: list[str] = []
    expected: dict[Path_, Any] = {}
    used: set[int] = set()
    try:
        for path, value in fields.items():
            if path in doc.value_spans and path in doc.key_spans:
                span = doc.value_spans[path]
                if span.line in used:
                    return None
                used.add(span.line)
                line = lines[span.line - 1]  # not changed yet: one field a line
                old = line.rstrip("\r\n")[span.column - 1 : span.end_column - 1] if span.line == span.end_line else ""
                written, expected[path] = _written(path, value, old)
                _replace(doc, lines, path, written, align)
            else:
                written, expected[path] = _written(path, value, None)
                added.append(f"{path[0]}: {written}{doc.newline}")
    except FieldError:
        return None
    lines[doc.body_line - 2 : doc.body_line - 2] = added  # before the '---', in the order given
    return document_bytes(doc, "".join(lines)), expected


def reads_back(before: Document, after: Document, expected: Mapping[Path_, Any]) -> bool:
    """Whether ``after`` holds the ``expected`` top-level values and every other field of ``before``."""
    if before.data is None or after.data is None or any(
        _lookup(after.data, path, None) != value for path, value in expected.items()
    ):
        return False
    kept = {k: v for k, v in before.data.items() if (k,) not in expected}
    return kept == {k: v for k, v in after.data.items() if (k,) not in expected}


def _set_one(raw: bytes, path: Path_, value: object, align: bool, name: str) -> bytes:
    doc = read_document(raw, name)
    if doc.data is None:
        raise FieldError(path, FieldError.UNREADABLE)
    if isinstance(value, Block):
        return _set_block(doc, path, value)
    lines = doc.text.splitlines(keepends=True)
    key = doc.key_spans.get(path)
    if path in doc.value_spans and (key is not None or isinstance(path[-1], int)):
        written, expected = _written(path, value, _text_at(doc, path))
        _replace(doc, lines, path, written, align)
    else:
        written, expected = _written(path, value, None)
        _add(doc, lines, path, written)
    changed = document_bytes(doc, "".join(lines))
    _verify(doc, changed, path, expected)
    return changed


def _replace(doc: Document, lines: list[str], path: Path_, written: str, align: bool) -> None:
    """Put ``written`` in place of the one-line value at ``path``, in ``lines``."""
    span = doc.value_spans[path]
    key = doc.key_spans.get(path)
    if span.line != span.end_line or (key is not None and span.line != key.line):
        raise FieldError(path, FieldError.BLOCK)
    line = lines[span.line - 1]
    body = line.rstrip("\r\n")
    before, rest = body[: span.column - 1], body[span.end_column - 1 :]
    after = rest.lstrip(" \t")
    if align and (not after or after.startswith("#")):
        head = f"{before.rstrip(' ')} {written}"
        if after:  # keep the comment, in its column where the value leaves room
            column = len(body) - len(after)
            head = head.ljust(column) if len(head) < column else head + "  "
        lines[span.line - 1] = head + after + line[len(body) :]
        return
    empty = span.column == span.end_column
    spacer = " " if empty and before and before[-1] not in " \t" else ""
    lines[span.line - 1] = f"{before}{spacer}{written}{rest}{line[len(body):]}"


def _add(doc: Document, lines: list[str], path: Path_, written: str) -> None:
    """Add the field at ``path``, missing from the file, in ``lines``: top-level fields only."""
    if len(path) == 1 and isinstance(path[0], str):
        lines.insert(doc.body_line - 2, f"{path[0]}: {written}{doc.newline}")  # before the '---'
        return
    parent = doc.value_spans.get(path[:-1])
    if parent is None:
        raise FieldError(path, FieldError.NO_PARENT)
    if lines[parent.line - 1][parent.column - 1 : parent.column] in ("[", "{"):
        raise FieldError(path, FieldError.FLOW_PARENT)
    known = tuple(str(p[-1]) for p in doc.key_spans if p[:-1] == path[:-1])
    raise FieldError(path, FieldError.NO_FIELD, known=known)


def _set_block(doc: Document, path: Path_, value: Block) -> bytes:
    """The top-level field at ``path`` set to the block map ``value``: the lines of its old
    value (those indented below its key) replaced, its key line and everything else kept."""
    if len(path) != 1 or not isinstance(path[0], str):
        raise FieldError(path, FieldError.UNWRITABLE)
    expected = _plain(dict(value))
    if doc.data.get(path[0], _MISSING) == expected:  # type: ignore[union-attr]
        return document_bytes(doc)  # nothing to change, not even the way it is written
    lines = doc.text.splitlines(keepends=True)
    closing = doc.body_line - 2  # the index of the closing '---'
    key = doc.key_spans.get(path)
    nl = doc.newline
    if key is None:
        lines[closing:closing] = [f"{path[0]}:{nl}", *_entries(value, "  ", nl)]
    else:
        start = key.line  # the index of the line after the key
        head = lines[key.line - 1]
        after_key = head[key.end_column - 1 :].rstrip("\r\n").lstrip(" \t")
        if not after_key.startswith(":"):
            raise FieldError(path, FieldError.UNWRITABLE)
        rest = after_key[1:].lstrip(" \t")
        if rest and not rest.startswith("#"):  # a value on the key's line: the block replaces it
            head = head[: key.end_column - 1] + ":" + nl
        end = start
        while end < closing and (lines[end][:1] in (" ", "\t") or (not lines[end].strip() and _indented_after(lines, end, closing))):
            end += 1
        indent = next((line[: len(line) - len(line.lstrip(" \t"))] for line in lines[start:end] if line.strip()), "  ")
        lines[key.line - 1 : end] = [head, *_entries(value, indent, nl)]
    changed = document_bytes(doc, "".join(lines))
    _verify(doc, changed, path, expected)
    return changed


def _indented_after(lines: list[str], index: int, closing: int) -> bool:
    """Whether the next line with text after ``index`` (before ``closing``) is indented."""
    for line in lines[index + 1 : closing]:
        if line.strip():
            return line[:1] in (" ", "\t")
    return False


def _entries(value: Block, indent: str, newline: str) -> list[str]:
    return [f"{indent}{yaml_scalar(k)}: {_flow(v)}{newline}" for k, v in value.items()]


def _written(path: Path_, value: object, old: str | None) -> tuple[str, Any]:
    """The YAML text for ``value`` (``old`` is the text it replaces), and what it reads back as."""
    if isinstance(value, YamlText):
        probe = read_yaml(f"v: {value}\n".encode(), "value")
        if probe.data is None or probe.problems:
            raise FieldError(path, FieldError.UNWRITABLE)
        return str(value), probe.data.get("v")
    if isinstance(value, str) and old is not None:
        kept = _in_old_quotes(value, old)
        if kept is not None:
            return kept, value
    return _flow(value), _plain(value)


def _in_old_quotes(value: str, old: str) -> str | None:
    """``value`` in the quotes ``old`` was written in, where it needs no escape in them."""
    quote = old[:1]
    if len(old) < 2 or quote not in ("'", '"') or not old.endswith(quote) or CONTROL_IN_LINE.search(value):
        return None
    if quote == "'":
        return "'" + value.replace("'", "''") + "'"
    return None if '"' in value or "\\" in value else f'"{value}"'


def _flow(value: object) -> str:
    """``value`` on one line: a scalar, or a flow list or map of them."""
    if isinstance(value, Mapping):
        return "{" + ", ".join(f"{yaml_scalar(k)}: {_flow(v)}" for k, v in value.items()) + "}"
    if isinstance(value, (list, tuple)):
        return "[" + ", ".join(_flow(item) for item in value) + "]"
    return yaml_scalar(value)


def _plain(value: object) -> Any:
    """``value`` as the reader gives it back: lists for tuples, dicts for maps."""
    if isinstance(value, Mapping):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_plain(item) for item in value]
    return value


def _verify(doc: Document, changed: bytes, path: Path_, expected: Any) -> None:
    """Refuse a change that does not read back as asked, or that changes anything else."""
    again = read_document(changed, doc.path)
    before, after = _without(doc.data, path), _without(again.data, path)
    if again.data is None or _lookup(again.data, path, None) != expected or before != after:
        raise FieldError(path, FieldError.UNWRITABLE)
    if again.body != doc.body:  # pragma: no cover - a safety net for the reader's spans
        raise FieldError(path, FieldError.UNWRITABLE)


def _without(data: Any, path: Path_) -> Any:
    """``data`` with the value at ``path`` left out (the whole front matter but that field)."""
    if not path or not isinstance(data, (dict, list)):
        return data
    head, rest = path[0], path[1:]
    if isinstance(data, dict):
        if not rest:
            return {k: v for k, v in data.items() if k != head}
        return {k: (_without(v, rest) if k == head else v) for k, v in data.items()}
    if isinstance(head, int) and head < len(data):
        return [(_without(v, rest) if i == head and rest else v) for i, v in enumerate(data) if i != head or rest]
    return data


def _text_at(doc: Document, path: Path_) -> str:
    span = doc.value_spans[path]
    if span.line != span.end_line:
        return ""
    line = doc.text.splitlines()[span.line - 1]
    return line[span.column - 1 : span.end_column - 1]


def _offset(text: str, line: int, column: int) -> int:
    """Character offset of 1-based (line, column) in ``text``."""
    position = 0
    for _ in range(line - 1):
        position = text.index("\n", position) + 1
    return position + column - 1


_MISSING = object()


def _lookup(data: Any, path: Path_, default: Any = _MISSING) -> Any:
    for part in path:
        try:
            data = data[part]
        except (KeyError, IndexError, TypeError):
            if default is _MISSING:
                raise
            return default
    return data
