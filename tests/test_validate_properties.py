"""Property tests: whatever the bytes, the reader returns problems instead of raising, and every
line it reports is a line of the file."""

from __future__ import annotations

import tempfile
from collections.abc import Callable
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import Run
from tdekit.problems import Problem
from tdekit.records.frontmatter import read_document, read_yaml
from tdekit.records.schema import check_record, check_settings
from test_validate_corpus import lay_out, run_validate

#: Characters that steer a YAML parser, so that generated text reaches its odd corners.
YAML_ALPHABET = st.sampled_from([
    *":-?[]{},#&*!|>'\"%@` \t\n\r.~0123456789abcdeiklnorstuxyz<=\\",
    "---", "...", "\n  ", "\n- ", ": ", " #", "id", "title", "\ufeff", "\x00", "\u2028", "é", "日",
])
YAMLISH = st.lists(YAML_ALPHABET, max_size=80).map("".join)


def lines_in(raw: bytes) -> int:
    """How many lines the file has, as an editor counts them (a final line break ends a line)."""
    return raw.count(b"\n") + 1 + raw.count(b"\r") - raw.count(b"\r\n")


def assert_located_within(problems: list[Problem], raw: bytes) -> None:
    for problem in problems:
        if problem.line is not None:
            assert 1 <= problem.line <= lines_in(raw), problem
        if problem.column is not None:
            assert problem.column >= 1, problem
        assert problem.severity in ("error", "warning")
        assert problem.code and problem.message


@given(st.binary(max_size=400))
@settings(max_examples=300)
def test_reader_never_raises_on_any_bytes(raw: bytes) -> None:
    """Arbitrary bytes are read into problems (or a document), never an exception."""
    doc = read_document(raw, "x.md")
    if doc.ok:
        check_record(doc, "interview")
    assert_located_within(doc.problems, raw)


@given(YAMLISH)
@settings(max_examples=500)
def test_reader_never_raises_between_fences(text: str) -> None:
    """Arbitrary YAML-like text between '---' fences gives problems located inside the file."""
    raw = ("---\n" + text + "\n---\nBody\n").encode("utf-8")
    doc = read_document(raw, "x.md")
    if doc.ok:
        for kind in ("interview", "usecase", "plan"):
            check_record(doc, kind)
    assert doc.ok or doc.problems
    assert_located_within(doc.problems, raw)


@given(st.lists(YAML_ALPHABET, max_size=120).map("".join))
@settings(max_examples=300)
def test_settings_reader_never_raises(text: str) -> None:
    """Any tde.yaml text (with or without a final line break) gives problems located in the file."""
    raw = text.encode("utf-8")
    doc = read_yaml(raw, "tde.yaml")
    if doc.ok:
        check_settings(doc)
    assert_located_within(doc.problems, raw)


@given(st.text(max_size=120))
@settings(max_examples=300)
def test_reader_never_raises_on_any_text_value(text: str) -> None:
    """Any text typed after 'title: ' is read or refused with a located problem."""
    raw = ("---\nid: x\ntitle: " + text + "\nrole: R\n---\n").encode("utf-8", "surrogatepass")
    doc = read_document(raw, "personas/x.md")
    if doc.ok:
        check_record(doc, "persona")
    assert_located_within(doc.problems, raw)


@given(text=YAMLISH)
@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
def test_validate_command_never_fails_on_any_record(
    text: str, tde: Callable[..., Run], tmp_path: Path
) -> None:
    """Through the command, any record text gives located lines and exit 0 or 1, changing nothing."""
    raw = ("---\n" + text + "\n---\n").encode("utf-8")
    with tempfile.TemporaryDirectory(dir=tmp_path) as scratch:
        root = lay_out(Path(scratch), {"usecases/fuzz.md": raw})
        result = run_validate(tde, root)
        assert result.exit_code in (0, 1)
        for line in result.stdout.splitlines():
            path, rest = line.split(":", 1)
            number = rest.split(":", 1)[0]
            if number.isdigit():
                source = (root / path).read_bytes()
                assert 1 <= int(number) <= lines_in(source), line
