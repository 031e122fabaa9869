"""Round trips through the front-matter reader and writer: nothing changes unless asked.

Documents are generated with hypothesis in the shapes records take (comments, quoted, plain
and flow values, unicode, empty values, a BOM, CRLF line ends, a body that looks like YAML),
then read, written back, and edited one scalar at a time.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import Run
from tdekit.records.frontmatter import UTF8_BOM, Document, read_document
from tdekit.records.scalars import yaml_scalar
from tdekit.records.writing import document_bytes, replace_scalar

CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u2028\u2029\ufeff\ufffe\uffff]")
# Any text, including tabs, line breaks and characters YAML must escape...
ANY_TEXT = st.text(alphabet=st.characters(exclude_categories=("Cs",)), max_size=24)
# ...and the text a record may hold: the reader reports other control characters, even escaped.
TEXT = ANY_TEXT.filter(lambda s: not CONTROL.search(s))
PRINTABLE = st.text(
    alphabet=st.characters(exclude_categories=("Cs", "Cc", "Zl", "Zp"), exclude_characters="\ufeff\ufffe\uffff"),
    min_size=1,
    max_size=16,
).filter(lambda s: s == s.strip())
SCALARS = st.one_of(
    TEXT,
    st.integers(min_value=-(10**12), max_value=10**12),
    st.booleans(),
    st.none(),
    st.dates(min_value=dt.date(1900, 1, 1), max_value=dt.date(2100, 12, 31)),
    st.floats(allow_nan=False),
)
KEYS = st.from_regex(r"[a-z][a-z_]{0,8}", fullmatch=True)
COMMENTS = st.one_of(st.just(""), PRINTABLE.map(lambda s: "  # " + s))


@st.composite
def value_texts(draw: st.DrawFn) -> tuple[str, bool]:
    """The text of one value as a person might write it, and whether it is one scalar."""
    style = draw(st.sampled_from(["canonical", "single", "plain", "flow-list", "flow-map", "empty"]))
    if style == "canonical":
        return yaml_scalar(draw(SCALARS)), True
    if style == "single":
        word = draw(PRINTABLE)
        return "'" + word.replace("'", "''") + "'", True
    if style == "plain":
        return draw(st.sampled_from(["plain words", "Café Olé", "a-b_c", "x y  z", "ünïcödé"])), True
    if style == "flow-list":
        items = draw(st.lists(SCALARS, max_size=3))
        return "[" + ", ".join(yaml_scalar(item) for item in items) + "]", False
    if style == "flow-map":
        pairs = draw(st.dictionaries(KEYS, SCALARS, max_size=3))
        return "{" + ", ".join(f"{k}: {yaml_scalar(v)}" for k, v in pairs.items()) + "}", False
    return "", True


@st.composite
def documents(draw: st.DrawFn) -> bytes:
    """A Markdown file with front matter in any of the shapes records take."""
    newline = draw(st.sampled_from(["\n", "\r\n"]))
    lines = ["---", "id: some-record", f"title: {yaml_scalar(draw(TEXT))}"]
    for key in draw(st.lists(KEYS, unique=True, max_size=6)):
        if key in ("id", "title"):
            continue
        if draw(st.booleans()):
            lines.append("# " + draw(PRINTABLE))
        shape = draw(st.sampled_from(["value", "nested", "block-list"]))
        if shape == "value":
            text, _ = draw(value_texts())
            lines.append(f"{key}:{' ' + text if text else ''}{draw(COMMENTS)}")
        elif shape == "nested":
            lines.append(f"{key}:{draw(COMMENTS)}")
            for child in draw(st.lists(KEYS, unique=True, min_size=1, max_size=3)):
                text, _ = draw(value_texts())
                lines.append(f"  {child}:{' ' + text if text else ''}{draw(COMMENTS)}")
        else:
            lines.append(f"{key}:")
            for _ in range(draw(st.integers(min_value=1, max_value=3))):
                lines.append(f"  - {yaml_scalar(draw(SCALARS))}{draw(COMMENTS)}")
    lines.append("---")
    lines.extend(draw(st.lists(st.sampled_from(["", "# Heading", "key: not yaml", "---", "- x"]), max_size=4)))
    raw = newline.join(lines) + newline
    bom = UTF8_BOM if draw(st.booleans()) else b""
    return bom + raw.encode("utf-8")


def _scalar_paths(doc: Document) -> list[tuple[str | int, ...]]:
    """Every path whose value is a scalar written on one line."""
    paths = []
    for path, span in doc.value_spans.items():
        value: Any = doc.data
        for part in path:
            value = value[part]  # type: ignore[index]
        if path and span.line == span.end_line and not isinstance(value, (dict, list)):
            paths.append(path)
    return paths


def _set(data: Any, path: tuple[str | int, ...], value: object) -> Any:
    copy = json.loads(json.dumps(data, default=str))
    target = copy
    for part in path[:-1]:
        target = target[part]
    target[path[-1]] = _plain(value)
    return copy


def _plain(data: Any) -> Any:
    return json.loads(json.dumps(data, default=str))


SETTINGS = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@SETTINGS
@given(documents())
def test_read_then_write_back_is_byte_identical(raw: bytes) -> None:
    """Reading a document and writing it back unchanged gives the very same bytes."""
    doc = read_document(raw, "x.md")
    assert doc.data is not None, doc.problems
    assert document_bytes(doc) == raw


@SETTINGS
@given(documents(), st.data())
def test_replacing_a_value_with_itself_changes_nothing(raw: bytes, data: st.DataObject) -> None:
    """Writing a value written the canonical way over itself leaves the file byte-identical."""
    doc = read_document(raw, "x.md")
    assert doc.data is not None, doc.problems
    canonical = [
        path for path in _scalar_paths(doc)
        if _text_at(doc, path) == yaml_scalar(_value_at(doc, path))
    ]
    if not canonical:
        return
    path = data.draw(st.sampled_from(canonical))
    assert replace_scalar(doc, path, _value_at(doc, path)) == raw


@SETTINGS
@given(documents(), st.data())
def test_changing_one_scalar_changes_exactly_one_line(raw: bytes, data: st.DataObject) -> None:
    """Replacing one scalar changes one line, keeps the BOM and line ends, and reads back."""
    doc = read_document(raw, "x.md")
    assert doc.data is not None, doc.problems
    paths = _scalar_paths(doc)
    path = data.draw(st.sampled_from(paths))
    new_value = data.draw(SCALARS)
    changed = replace_scalar(doc, path, new_value)

    assert changed.startswith(UTF8_BOM) == raw.startswith(UTF8_BOM)
    before, after = raw.splitlines(keepends=True), changed.splitlines(keepends=True)
    assert len(before) == len(after)
    differing = [i for i, (a, b) in enumerate(zip(before, after, strict=True)) if a != b]
    assert len(differing) <= 1
    line = doc.value_spans[path].line - 1
    assert differing in ([], [line])
    assert after[line].endswith(b"\r\n") == before[line].endswith(b"\r\n")  # line ends kept

    again = read_document(changed, "x.md")
    assert again.data is not None, again.problems
    assert _plain(again.data) == _set(doc.data, path, new_value)
    assert again.body == doc.body


def _value_at(doc: Document, path: tuple[str | int, ...]) -> Any:
    value: Any = doc.data
    for part in path:
        value = value[part]
    return value


def _text_at(doc: Document, path: tuple[str | int, ...]) -> str:
    span = doc.value_spans[path]
    line = doc.text.splitlines()[span.line - 1]
    return line[span.column - 1 : span.end_column - 1]


@given(TEXT)
@settings(max_examples=500, deadline=None)
def test_any_text_is_written_so_that_it_reads_back(text: str) -> None:
    """yaml_scalar writes any text, in a block or a flow list, so that it reads back unchanged."""
    raw = f"---\nid: x\ntitle: {yaml_scalar(text)}  # note\nlist: [{yaml_scalar(text)}, end]\n---\n"
    doc = read_document(raw.encode("utf-8"), "x.md")
    assert doc.data is not None, doc.problems
    assert doc.problems == []
    assert doc.data["title"] == text
    assert doc.data["list"] == [text, "end"]


@given(ANY_TEXT)
@settings(max_examples=300, deadline=None)
def test_control_characters_are_escaped_and_reported_not_fatal(text: str) -> None:
    """Text with control characters is written as escapes: the file stays readable YAML."""
    raw = f"---\nid: x\ntitle: {yaml_scalar(text)}\n---\n"
    doc = read_document(raw.encode("utf-8"), "x.md")
    assert doc.data is not None, doc.problems
    assert doc.data["title"] == text
    assert {p.code for p in doc.problems} <= {"control-character"}


@pytest.mark.parametrize(
    ("value", "written"),
    [
        ("plain words", "plain words"),
        ("yes", '"yes"'),
        ("No", '"No"'),
        ("null", '"null"'),
        ("123", '"123"'),
        ("2026-03-14", '"2026-03-14"'),
        ("Mold in unit #4B", '"Mold in unit #4B"'),
        ("Bus data: a wish list", '"Bus data: a wish list"'),
        ("Why?", '"Why?"'),
        ("tab\there", '"tab\\there"'),
        ("\x85next line", '"\\u0085next line"'),
        (float("inf"), ".inf"),
        (float("-inf"), "-.inf"),
        (dt.date(2026, 3, 14), "2026-03-14"),
        (None, "null"),
        (True, "true"),
        (3, "3"),
    ],
)
def test_yaml_scalar_quotes_only_what_needs_it(value: object, written: str) -> None:
    """Plain where that is safe for YAML 1.2 and 1.1 readers alike, quoted and escaped otherwise."""
    assert yaml_scalar(value) == written


@pytest.mark.parametrize("newline", ["\n", "\r\n"])
@pytest.mark.parametrize("bom", [b"", UTF8_BOM])
def test_filling_an_empty_value_keeps_its_comment_and_line_ends(newline: str, bom: bytes) -> None:
    """An empty value gets a space after its colon; the comment, BOM and CRLF stay."""
    text = newline.join(["---", "id: x", "empty:          # say something", "last:", "---", "Body", ""])
    doc = read_document(bom + text.encode(), "x.md")
    changed = replace_scalar(doc, ("empty",), "Maria Ortega")
    expected = text.replace("empty:          #", "empty: Maria Ortega          #")
    assert changed == bom + expected.encode()
    last = replace_scalar(doc, ("last",), "2026-03-14")
    assert last == bom + text.replace("last:", 'last: "2026-03-14"').encode()


def test_replacing_inside_a_flow_mapping_keeps_the_rest_of_the_line() -> None:
    """A score inside '{...}' changes alone; its neighbours, the unicode before it and the comment stay."""
    raw = "---\nid: x\nnotes: {café: 'Olé', capacity: 3, interest: 4}  # scored in April\n---\n"
    doc = read_document(raw.encode(), "x.md")
    changed = replace_scalar(doc, ("notes", "capacity"), 5)
    assert changed.decode() == raw.replace("capacity: 3", "capacity: 5")


def test_replace_scalar_refuses_collections_and_unknown_paths() -> None:
    """Lists, mappings and block values are not one-line scalars; a missing path is a KeyError."""
    raw = b"---\nid: x\ntags: [a, b]\nnested:\n  a: 1\ntext: |\n  two\n  lines\n---\n"
    doc = read_document(raw, "x.md")
    for path in [("tags",), ("nested",), ("text",)]:
        with pytest.raises(ValueError, match="not a one-line value"):
            replace_scalar(doc, path, "x")
    with pytest.raises(KeyError):
        replace_scalar(doc, ("missing",), "x")


def test_a_title_changed_through_the_cli_written_record_reads_back(
    tde: Callable[..., Run], empty_project: Path
) -> None:
    """A record made by 'tde new' and edited with replace_scalar keeps every other byte."""
    result = tde("new", "interview", "Maria, tenant organizer", cwd=empty_project)
    assert result.exit_code == 0, result
    path = empty_project / result.stdout.strip()
    raw = path.read_bytes()
    doc = read_document(raw, "x.md")
    changed = replace_scalar(doc, ("interviewee",), 'Maria "Mari" Ortega')
    old_lines, new_lines = raw.splitlines(), changed.splitlines()
    assert [i for i, (a, b) in enumerate(zip(old_lines, new_lines, strict=True)) if a != b] == [
        doc.value_spans[("interviewee",)].line - 1
    ]
    assert read_document(changed, "x.md").data["interviewee"] == 'Maria "Mari" Ortega'  # type: ignore[index]
