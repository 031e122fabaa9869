"""The record-writing API: set_fields keeps every other byte; write_record writes what tde new does.

Documents come from the generator of test_roundtrip (comments, every quoting style, flow and
block values, unicode, empty values, a BOM, CRLF, a body that looks like YAML).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from conftest import Run
from tdekit.records.frontmatter import UTF8_BOM, read_document
from tdekit.records.scalars import yaml_scalar
from tdekit.records.writing import Block, FieldError, YamlText, set_fields
from tdekit.scaffold import write_record
from tdekit.text import CONTROL_IN_LINE
from test_roundtrip import (
    KEYS,
    SCALARS,
    SETTINGS,
    TEXT,
    _plain,
    _scalar_paths,
    _text_at,
    _value_at,
    documents,
)

VALUES = st.one_of(
    SCALARS,
    st.lists(SCALARS, max_size=3),
    st.dictionaries(KEYS, SCALARS, max_size=3),
)


def _without(data: dict[str, Any], path: tuple[Any, ...]) -> Any:
    copy = _plain(data)
    target = copy
    for part in path[:-1]:
        target = target[part]
    del target[path[-1]]
    return copy


@SETTINGS
@given(documents(), KEYS, VALUES)
def test_adding_a_field_inserts_one_line_and_keeps_every_other_byte(raw: bytes, key: str, value: object) -> None:
    """A field the file lacks is one new line before the closing '---'; nothing else moves."""
    doc = read_document(raw, "x.md")
    assert doc.data is not None
    if key in doc.data:
        return
    changed = set_fields(raw, {key: value})
    assert changed.startswith(UTF8_BOM) == raw.startswith(UTF8_BOM)
    before, after = raw.splitlines(keepends=True), changed.splitlines(keepends=True)
    close = doc.body_line - 2
    assert after[:close] + after[close + 1 :] == before
    assert after[close].endswith(b"\r\n") == before[close].endswith(b"\r\n")
    again = read_document(changed, "x.md")
    assert again.data is not None, again.problems
    assert _plain(again.data[key]) == _plain(value)
    assert _without(again.data, (key,)) == _plain(doc.data)
    assert again.body == doc.body


@SETTINGS
@given(documents(), st.data())
def test_replacing_a_value_changes_only_its_characters(raw: bytes, data: st.DataObject) -> None:
    """A one-line value is replaced in place: the same lines, the text around it untouched."""
    doc = read_document(raw, "x.md")
    assert doc.data is not None
    paths = [p for p in _scalar_paths(doc) if isinstance(p[-1], str)]
    if not paths:
        return
    path = data.draw(st.sampled_from(paths))
    value = data.draw(VALUES)
    changed = set_fields(raw, {path: value})
    before, after = raw.splitlines(keepends=True), changed.splitlines(keepends=True)
    assert len(before) == len(after)
    line = doc.value_spans[path].line - 1
    assert [i for i, (a, b) in enumerate(zip(before, after, strict=True)) if a != b] in ([], [line])
    span = doc.value_spans[path]
    old = before[line].decode("utf-8").removeprefix("\ufeff")
    new = after[line].decode("utf-8").removeprefix("\ufeff")
    head, tail = old[: span.column - 1], old[span.end_column - 1 :]
    assert new.startswith(head) and new.endswith(tail)
    again = read_document(changed, "x.md")
    assert again.data is not None, again.problems
    assert _plain(_value_at(again, path)) == _plain(value)
    assert _without(again.data, path) == _without(doc.data, path)
    assert again.body == doc.body


@SETTINGS
@given(documents(), st.data())
def test_a_value_set_to_itself_changes_nothing(raw: bytes, data: st.DataObject) -> None:
    """Setting a field, written the canonical way, to the value it has leaves the file as it was."""
    doc = read_document(raw, "x.md")
    assert doc.data is not None
    canonical = [p for p in _scalar_paths(doc) if _text_at(doc, p) == yaml_scalar(_value_at(doc, p))]
    if not canonical:
        return
    path = data.draw(st.sampled_from(canonical))
    assert set_fields(raw, {path: _value_at(doc, path)}) == raw


@given(TEXT.filter(lambda t: not CONTROL_IN_LINE.search(t) and not {"'", '"', "\\"} & set(t)))
@SETTINGS
def test_quoted_values_keep_their_quotes(text: str) -> None:
    """Text replacing a quoted value is written in the same quotes where it needs no escape."""
    raw = b"---\nid: x\nsingle: 'old'  # a note\ndouble: \"old\"\n---\n"
    changed = set_fields(raw, {"single": text, "double": text}).decode()
    assert f"single: '{text}'  # a note\n" in changed
    assert f'double: "{text}"\n' in changed


def test_typed_yaml_is_written_as_typed_and_nested_fields_in_place() -> None:
    """YamlText lands as written; a field inside a block map is replaced on its own line."""
    raw = b"---\r\nid: x\r\nusecases: []   # ids\r\nplan:\r\n  kind: tool   # which\r\n---\r\nBody\r\n"
    changed = set_fields(raw, {"usecases": YamlText("[a,  b]"), "plan.kind": "event"})
    assert changed == b"---\r\nid: x\r\nusecases: [a,  b]   # ids\r\nplan:\r\n  kind: event   # which\r\n---\r\nBody\r\n"


@pytest.mark.parametrize(
    ("fields", "problem", "known"),
    [
        ({"block": "x"}, FieldError.BLOCK, ()),
        ({"plan.colour": "x"}, FieldError.NO_FIELD, ("kind", "summary")),
        ({"nothing.here": "x"}, FieldError.NO_PARENT, ()),
        ({"flow.b": 2}, FieldError.FLOW_PARENT, ()),
        ({"id": YamlText("[a, b")}, FieldError.UNWRITABLE, ()),
    ],
)
def test_what_cannot_be_written_is_refused_with_its_reason(
    fields: dict[str, object], problem: str, known: tuple[str, ...]
) -> None:
    """A block value, a missing nested field or map, a map on one line: refused, with data."""
    raw = b"---\nid: x\nblock:\n  - a\nplan:\n  kind: tool\n  summary: s\nflow: {a: 1}\n---\n"
    with pytest.raises(FieldError) as refused:
        set_fields(raw, fields)
    assert (refused.value.problem, refused.value.known) == (problem, known)


TODAY = dt.date(2026, 3, 14)


@pytest.mark.parametrize(
    ("kind", "values", "sets"),
    [
        ("interview", {"interviewee": "Maria Ortega", "organization": "Tenants #1"},
         ["interviewee=Maria Ortega", "organization=Tenants #1"]),
        ("usecase", {"scores": {"capacity": 3, "impact": 5}, "status": "shortlisted"},
         ["scores={capacity: 3, impact: 5}", "status=shortlisted"]),
        ("plan", {"intervention.kind": "data_release", "audience": ["tenant-organizer"]},
         ["intervention.kind=data_release", "audience=[tenant-organizer]"]),
        ("update", {"plan": "route-4-plan", "date": TODAY, "audience": ["Riders"]},
         ["plan=route-4-plan", "date=2026-03-14", "audience=[Riders]"]),
    ],
)
def test_write_record_gives_the_bytes_tde_new_writes(
    tde: Callable[..., Run], empty_project: Path, kind: str, values: dict[str, object], sets: list[str]
) -> None:
    """write_record with Python values makes byte for byte the file 'tde new --set' makes."""
    for referenced in ("personas/tenant-organizer.md", "plans/route-4-plan.md"):  # tde new checks ids
        (empty_project / referenced).parent.mkdir(exist_ok=True)
        (empty_project / referenced).write_text("", encoding="utf-8")
    result = tde("new", kind, "Late buses", *[a for s in sets for a in ("--set", s)], cwd=empty_project)
    assert result.exit_code == 0, result
    written = (empty_project / result.stdout.strip()).read_bytes()
    today = read_document(written, "x.md").data["created"]  # type: ignore[index]
    made = write_record(kind, {"id": "late-buses", "title": "Late buses", **values}, today=today)
    assert made == written


def test_write_record_puts_the_body_in_place_of_the_template_body() -> None:
    """A body given to write_record follows the front matter and a blank line, line ends kept."""
    made = write_record("update", {"id": "u", "title": "U", "plan": "p"}, "Route 4 runs again.\n\nThanks.", today=TODAY)
    doc = read_document(made, "updates/u.md")
    assert doc.body == "\nRoute 4 runs again.\n\nThanks.\n"
    assert doc.data is not None and doc.data["plan"] == "p"


# --- block maps (tde tally import) -------------------------------------------------------------

TALLY = st.fixed_dictionaries(
    {}, optional={"votes": st.integers(0, 10**6), "cards": st.integers(0, 10**6)}
).filter(bool)
TALLIES = st.dictionaries(st.from_regex(r"[a-z][a-z0-9-]{0,20}", fullmatch=True), TALLY, min_size=1, max_size=4)


@SETTINGS
@given(documents(), TALLIES)
def test_a_block_map_is_added_before_the_closing_line(raw: bytes, tallies: dict[str, Any]) -> None:
    """A missing top-level field becomes a block of lines before the closing '---'; nothing else moves."""
    doc = read_document(raw, "x.md")
    assert doc.data is not None
    if "tallies" in doc.data:
        return
    changed = set_fields(raw, {"tallies": Block(tallies)})
    before, after = raw.splitlines(keepends=True), changed.splitlines(keepends=True)
    close = doc.body_line - 2
    added = 1 + len(tallies)
    assert after[:close] + after[close + added :] == before
    again = read_document(changed, "x.md")
    assert again.data is not None and again.data["tallies"] == tallies
    assert again.body == doc.body


@SETTINGS
@given(documents(), TALLIES, TALLIES, st.sampled_from(["", "   # dots and cards"]))
def test_a_block_map_replaces_only_its_own_lines(
    raw: bytes, first: dict[str, Any], second: dict[str, Any], comment: str
) -> None:
    """Replacing a block map rewrites the lines under its key; the key line, its comment and every
    other byte stay; setting the same map again changes nothing."""
    doc = read_document(raw, "x.md")
    assert doc.data is not None
    if "tallies" in doc.data:
        return
    nl = "\r\n" if b"\r\n" in raw else "\n"
    lines = raw.splitlines(keepends=True)
    close = doc.body_line - 2
    entries = [f"    {k}: {{{', '.join(f'{n}: {v}' for n, v in t.items())}}}{nl}".encode() for k, t in first.items()]
    lines[close:close] = [f"tallies:{comment}{nl}".encode(), *entries]
    with_first = b"".join(lines)
    changed = set_fields(with_first, {"tallies": Block(second)})
    after = changed.splitlines(keepends=True)
    assert after[: close + 1] == lines[: close + 1]  # everything up to the key line, its comment too
    assert after[close + 1 + len(second) :] == lines[close + 1 + len(first) :]
    assert all(line.startswith(b"    ") for line in after[close + 1 : close + 1 + len(second)])  # its indent kept
    again = read_document(changed, "x.md")
    assert again.data is not None and again.data["tallies"] == second
    assert _without(again.data, ("tallies",)) == _plain(doc.data)
    assert set_fields(changed, {"tallies": Block(second)}) == changed
