"""Read and edit Markdown files with YAML front matter, keeping every byte and every position.

Reading goes through libyaml's event stream (ruamel.yaml's C parser), in one pass that

* refuses anchors, aliases, merge keys and explicit tags before anything walks the data, so an
  alias bomb costs a millisecond instead of gigabytes;
* builds plain Python values (dict, list, str, int, float, bool, None, date) itself, with the
  YAML 1.2 core schema plus ISO dates;
* records the line and column of every key and value, so that any later check can point at the
  exact place in the file;
* collects problems (duplicate keys, impossible dates, values cut short by `` #``) instead of
  stopping at the first one.

Writing never re-serialises the document: :func:`replace_scalar` swaps the characters of one
value in the original text, so comments, quoting, key order, flow style, the BOM, CRLF line ends
and the body stay exactly as they were.
"""

from __future__ import annotations

import datetime as dt
import functools
import json
import re
from dataclasses import dataclass, field
from typing import Any

from tdekit import chars
from tdekit.problems import Problem, Severity

#: Front matter larger than this is refused unread (a record's fields are a few KB at most).
MAX_FRONT_MATTER_BYTES = 256 * 1024
#: Nesting deeper than this is refused (records nest three levels at most).
MAX_DEPTH = 12

Path_ = tuple[str | int, ...]

UTF8_BOM = b"\xef\xbb\xbf"
_OTHER_BOMS = {
    b"\xff\xfe\x00\x00": "UTF-32",
    b"\x00\x00\xfe\xff": "UTF-32",
    b"\xff\xfe": "UTF-16",
    b"\xfe\xff": "UTF-16",
}
#: Characters libyaml refuses or reads as line breaks (C1 controls incl. NEL, U+FFFE/U+FFFF).
_CONTROL = chars.FILE_CONTROL
#: The ASCII ones among them, as bytes, and the ones beyond U+00FF.
_CONTROL_ASCII = chars.FILE_CONTROLS_ASCII
_CONTROL_WIDE = chars.FILE_CONTROLS_WIDE
_FENCE = re.compile(r"---[ \t]*")


@dataclass(slots=True)
class Span:
    """Where a key or value sits in the file: 1-based lines and columns, end exclusive.

    Read-only by convention: a reader makes one for every key and value, and a frozen dataclass
    takes four times as long to make.
    """

    line: int
    column: int
    end_line: int
    end_column: int


@dataclass
class Document:
    """A Markdown file with front matter, as read: its bytes, its values and their places."""

    path: str
    raw: bytes
    text: str = ""
    bom: bool = False
    newline: str = "\n"
    data: dict[str, Any] | None = None
    key_spans: dict[Path_, Span] = field(default_factory=dict)
    value_spans: dict[Path_, Span] = field(default_factory=dict)
    #: Paths whose value already has a reported problem (later checks stay quiet about them).
    bad_paths: set[Path_] = field(default_factory=set)
    body: str = ""
    body_line: int = 1
    problems: list[Problem] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        """True when the front matter could be read into a mapping."""
        return self.data is not None

    def where(self, path: Path_, *, key: bool = False) -> tuple[int | None, int | None]:
        """The line and column to report for ``path``: its value (or key), else its nearest parent."""
        spans = self.key_spans if key else self.value_spans
        probe = path
        while True:
            span = spans.get(probe) or self.key_spans.get(probe)
            if span is not None:
                return span.line, span.column
            if not probe:
                return (1, 1) if self.value_spans else (None, None)
            probe = probe[:-1]

    def problem(
        self, path: Path_, severity: Severity, code: str, message: str, *, key: bool = False
    ) -> Problem:
        line, column = self.where(path, key=key)
        return Problem(self.path, line, column, severity, code, message)


class _Stop(Exception):
    """Raised inside the parse to abandon a document whose YAML cannot be trusted."""


def read_document(raw: bytes, path: str) -> Document:
    """Read ``raw`` (the bytes of ``path``) into a :class:`Document`; never raises for bad input."""
    doc = Document(path=path, raw=raw)
    decoded = _decode(doc)
    if decoded is None:
        return doc
    text = doc.text = decoded
    lines = text.splitlines(keepends=True)
    if not lines:
        doc.problems.append(Problem(path, 1, 1, "error", "empty-file", "the file is empty"))
        return doc
    if lines[0].endswith("\r\n"):
        doc.newline = "\r\n"
    if not _FENCE.fullmatch(lines[0].rstrip("\r\n")):
        doc.problems.append(
            Problem(path, 1, 1, "error", "no-front-matter",
                    "the file must start with a '---' line that opens its front matter")
        )
        return doc
    close = next(
        (
            i for i in range(1, len(lines))
            # startswith first: it turns down most lines without a call into re
            if lines[i].startswith("---") and _FENCE.fullmatch(lines[i].rstrip("\r\n"))
        ),
        None,
    )
    if close is None:
        doc.problems.append(
            Problem(path, 1, 1, "error", "unclosed-front-matter",
                    "the front matter opened on line 1 is never closed by a '---' line")
        )
        return doc
    front = "".join(lines[1:close])
    doc.body = "".join(lines[close + 1 :])
    doc.body_line = close + 2
    if len(front.encode("utf-8")) > MAX_FRONT_MATTER_BYTES:
        doc.problems.append(
            Problem(path, 2, 1, "error", "front-matter-too-large",
                    f"the front matter is larger than {MAX_FRONT_MATTER_BYTES // 1024} KiB")
        )
        return doc
    _Parse(doc, front, lines, first_line=2).run()
    return doc


def read_yaml(raw: bytes, path: str) -> Document:
    """Read a whole YAML file (``tde.yaml``) the same way as front matter."""
    doc = Document(path=path, raw=raw)
    text = _decode(doc)
    if text is None:
        return doc
    doc.text = text
    if not text.strip():
        doc.problems.append(Problem(path, 1, 1, "error", "empty-file", "the file is empty"))
        return doc
    if len(raw) > MAX_FRONT_MATTER_BYTES:
        doc.problems.append(
            Problem(path, 1, 1, "error", "too-large",
                    f"the file is larger than {MAX_FRONT_MATTER_BYTES // 1024} KiB")
        )
        return doc
    _Parse(doc, text, text.splitlines(keepends=True), first_line=1).run()
    return doc


def _decode(doc: Document) -> str | None:
    raw: bytes = doc.raw
    for bom, name in _OTHER_BOMS.items():
        if raw.startswith(bom):
            doc.problems.append(
                Problem(doc.path, 1, 1, "error", "encoding",
                        f"the file is {name}; save it as UTF-8")
            )
            return None
    if raw.startswith(UTF8_BOM):
        doc.bom = True
        raw = raw[len(UTF8_BOM) :]
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as err:
        before = raw[: err.start]
        line = before.count(b"\n") + 1
        column = len(before[before.rfind(b"\n") + 1 :].decode("utf-8", "replace")) + 1
        sample = raw[:256]
        nuls = sample.count(0)
        advice = "; save the file as UTF-8"
        if nuls * 5 >= len(sample) * 2:
            advice = " (it looks like UTF-16)" + advice
        elif nuls:
            advice = " (this looks like a binary file, not text)"
        doc.problems.append(
            Problem(doc.path, line, column, "error", "encoding",
                    f"byte 0x{raw[err.start]:02x} is not valid UTF-8{advice}")
        )
        return None
    bad = _find_control(raw, text)
    if bad is not None:
        head = text[: bad.start()]
        line = head.count("\n") + 1
        column = bad.start() - (head.rfind("\n") + 1) + 1
        name = "NUL" if bad.group() == "\x00" else f"U+{ord(bad.group()):04X}"
        if name == "NUL" and text.count("\x00") * 3 > len(text):
            doc.problems.append(
                Problem(doc.path, line, column, "error", "encoding",
                        "the file has NUL bytes between its characters: it looks like UTF-16; "
                        "save it as UTF-8")
            )
            return None
        doc.problems.append(
            Problem(doc.path, line, column, "error", "control-character",
                    f"the file contains the control character {name}; remove it")
        )
        return None
    return text


def _find_control(raw: bytes, text: str) -> re.Match[str] | None:
    """Where ``text``, decoded from the UTF-8 ``raw``, first holds a character of :data:`_CONTROL`.

    The search tries every character of the file against the class; most files are cleared
    four times quicker without it: no ASCII control byte drops out of ``raw``, no 0xC2 starts
    the UTF-8 of a C1 control (or of U+00A0 to U+00BF, which leave the file to the search), and
    none of the five others is in ``text``.
    """
    if (
        len(raw.translate(None, _CONTROL_ASCII)) == len(raw)
        and b"\xc2" not in raw
        and not any(char in text for char in _CONTROL_WIDE)
    ):
        return None
    return _CONTROL.search(text)


# --- scalars: the YAML 1.2 core schema, plus ISO dates ------------------------------------

_NULL = frozenset({"", "~", "null", "Null", "NULL"})
_TRUE = frozenset({"true", "True", "TRUE"})
_FALSE = frozenset({"false", "False", "FALSE"})
_INT = re.compile(r"[-+]?[0-9][0-9_]*|0o[0-7]+|0x[0-9a-fA-F]+")
_FLOAT = re.compile(
    r"[-+]?(?:\.[0-9]+|[0-9][0-9_]*(?:\.[0-9_]*)?)(?:[eE][-+]?[0-9]+)?|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN)"
)
_DATE = re.compile(r"[0-9]{4}-[0-9]{1,2}-[0-9]{1,2}")
_DATETIME = re.compile(
    r"[0-9]{4}-[0-9]{1,2}-[0-9]{1,2}(?:[Tt]|[ \t]+)[0-9]{1,2}:[0-9]{2}:[0-9]{2}(?:\.[0-9]*)?"
    r"(?:[ \t]*(?:Z|[-+][0-9]{1,2}(?::?[0-9]{2})?))?"
)


def resolve_plain(value: str) -> Any:
    """The value a plain (unquoted) scalar stands for. Raises ValueError for impossible dates."""
    if value in _NULL:
        return None
    if value in _TRUE:
        return True
    if value in _FALSE:
        return False
    first = value[0]
    if first in "0123456789-+.":
        if _INT.fullmatch(value):
            if value.startswith("0o"):
                return int(value[2:], 8)
            if value.startswith("0x"):
                return int(value[2:], 16)
            return int(value.replace("_", ""))
        if _DATE.fullmatch(value):
            year, month, day = (int(part) for part in value.split("-"))
            return dt.date(year, month, day)
        if _DATETIME.fullmatch(value):
            return _parse_datetime(value)
        if _FLOAT.fullmatch(value) and value not in {".", "-", "+"}:
            lowered = value.lower()
            if lowered.endswith("inf"):
                return float("-inf") if value.startswith("-") else float("inf")
            if lowered.endswith("nan"):
                return float("nan")
            return float(value.replace("_", ""))
    return value


def _parse_datetime(value: str) -> dt.datetime:
    date_part, _, rest = re.split(r"([Tt]|[ \t]+)", value, maxsplit=1)
    rest = rest.strip()
    zone = re.search(r"(Z|[-+][0-9]{1,2}(?::?[0-9]{2})?)$", rest)
    tz: dt.tzinfo | None = None
    if zone:
        rest = rest[: zone.start()].strip()
        if zone.group() == "Z":
            tz = dt.timezone.utc
        else:
            sign = -1 if zone.group()[0] == "-" else 1
            digits = zone.group()[1:].replace(":", "")
            hours, minutes = int(digits[:-2] or digits), int(digits[-2:]) if len(digits) > 2 else 0
            tz = dt.timezone(sign * dt.timedelta(hours=hours, minutes=minutes))
    year, month, day = (int(part) for part in date_part.split("-"))
    hms, _, frac = rest.partition(".")
    hour, minute, second = (int(part) for part in hms.split(":"))
    micro = int((frac + "000000")[:6]) if frac else 0
    return dt.datetime(year, month, day, hour, minute, second, micro, tzinfo=tz)


# --- the event walk ------------------------------------------------------------------------

#: What follows an unquoted value that `` #`` cut short, from the end of the value on.
_CUT_COMMENT = re.compile(r"[ \t]+#\S")
_QUOTED_BEFORE = re.compile(r"""^[ \t]*(?:-[ \t]+)*(?:[^:#\s][^:#]*:[ \t]+)?["']""")


def _syntax_hint(problem: str, context: str, line_text: str, column: int) -> str | None:
    """A hint for the classic traps, judged from libyaml's message and the text at its mark."""
    at = line_text[column : column + 1]
    before = line_text[:column]
    if at == "\t" or "'\\t'" in problem:
        return "indent with spaces, not tabs"
    if "scanning an alias" in context:
        return "a value starting with '*' must be quoted (YAML reads *name as a reference)"
    if "scanning an anchor" in context:
        return "a value starting with '&' must be quoted"
    if "cannot start any token" in problem:
        return f"a value starting with '{at}' must be quoted" if at.strip() else "quote the value"
    if at == ":" and not before.strip(" \t-"):
        return "a field name is missing before ':'"
    if "<document start>" in problem:
        return "the front matter is one block of fields: remove lines such as '...' or '%YAML'"
    if "mapping values are not allowed" in problem:
        if re.search(r":[ \t]", before):
            return "a value that contains ': ' must be quoted, e.g. title: \"Bus data: a wish list\""
        return ("this line is indented more than the field above it; fields of the same map "
                "start in the same column")
    if "did not find expected key" in problem or "expected <block end>" in problem:
        if _QUOTED_BEFORE.match(before) and before.rstrip()[-1:] in ("'", '"'):
            return ("text follows a closing quote: quote the value as a whole (inside single "
                    "quotes write '' for ', e.g. 'it''s')")
        return ("check the indentation: the fields of one map, and the items of one list, start "
                "in the same column")
    if "could not find expected ':'" in problem:
        return "a line inside the front matter is neither a field nor a list item"
    return None


class _Parse:
    """One pass over libyaml's events, building values and spans and collecting problems."""

    def __init__(self, doc: Document, front: str, lines: list[str], first_line: int) -> None:
        self.doc = doc
        self.front = front
        self.lines = lines
        self.first_line = first_line
        self.value_spans = doc.value_spans
        self.key_spans = doc.key_spans
        self.next_event: Any = None  # the parser's get_event, once run() has made the parser

    def place(self, mark: Any) -> tuple[int, int]:
        """The 1-based line and column of a libyaml mark, kept inside the file.

        At the end of a file whose last line has no line break, libyaml's mark stands on the
        line after it; it is moved back to the end of the last line.
        """
        line, column = mark.line + self.first_line, mark.column + 1
        if line > len(self.lines):
            last = self.lines[-1] if self.lines else ""
            return max(len(self.lines), 1), len(last.rstrip("\r\n")) + 1
        return line, column

    def span(self, event: Any) -> Span:
        start, end = event.start_mark, event.end_mark
        end_line = end.line + self.first_line
        if end_line > len(self.lines):  # only at the very end of a file without a final break
            return Span(*self.place(start), *self.place(end))
        return Span(start.line + self.first_line, start.column + 1, end_line, end.column + 1)

    def error(self, event: Any, code: str, message: str) -> None:
        line, column = self.place(event.start_mark)
        self.doc.problems.append(Problem(self.doc.path, line, column, "error", code, message))

    def run(self) -> None:
        from ruamel.yaml import CParser  # type: ignore[attr-defined]
        from ruamel.yaml.error import MarkedYAMLError

        parser = CParser(self.front)
        # Called directly, not through a generator: the walk asks for one event at a time.
        next_event = self.next_event = parser.get_event
        try:
            self._expect("StreamStartEvent")
            first = next_event()
            if type(first).__name__ == "StreamEndEvent":
                self.doc.problems.append(
                    Problem(self.doc.path, 1, 1, "error", "empty-front-matter",
                            "there are no fields; at least id and title are needed")
                )
                return
            value = self._node(next_event(), (), 0)
            end = next_event()  # DocumentEndEvent
            following = next_event()
            if type(following).__name__ != "StreamEndEvent":
                self.error(end, "multiple-documents",
                           "the front matter holds more than one YAML document")
                return
        except _Stop:
            return
        except MarkedYAMLError as err:
            self._syntax_error(err)
            return
        except RecursionError:  # pragma: no cover - depth is capped long before this
            self.doc.problems.append(
                Problem(self.doc.path, 2, 1, "error", "too-deep", "the front matter nests too deeply")
            )
            return
        finally:
            dispose = getattr(parser, "dispose", None)
            if dispose is not None:
                dispose()
        if not isinstance(value, dict):
            kind = "a list" if isinstance(value, list) else "a single value"
            self.doc.problems.append(
                Problem(self.doc.path, self.first_line, 1, "error", "front-matter-not-mapping",
                        f"the front matter is {kind}; it must be fields written as 'name: value'")
            )
            return
        self.doc.data = value

    def _expect(self, name: str) -> Any:
        event = self.next_event()
        assert type(event).__name__ == name, type(event).__name__
        return event

    def _syntax_error(self, err: Any) -> None:
        mark = err.problem_mark or err.context_mark
        problem = err.problem or "invalid YAML"
        message = f"YAML syntax error: {problem}"
        if err.context:
            message += f" ({err.context})"
        line, column = self.place(mark) if mark is not None else (self.first_line, 1)
        line_text = self.lines[line - 1] if 0 < line <= len(self.lines) else ""
        hint = _syntax_hint(problem, err.context or "", line_text.rstrip("\r\n"), column - 1)
        if hint is not None:
            message += f"; hint: {hint}"
        self.doc.problems.append(Problem(self.doc.path, line, column, "error", "yaml-syntax", message))

    def _refuse_features(self, event: Any, name: str) -> None:
        """Stop at an alias, an anchor or an explicit tag (``name`` is the event's class name)."""
        if name != "AliasEvent" and event.anchor is None and event.tag is None:
            return  # the usual case: nothing to refuse
        anchor = event.anchor
        if name == "AliasEvent":
            self.error(event, "yaml-alias",
                       f"YAML aliases (*{anchor}) are not allowed in records; if the value starts "
                       "with '*', quote it")
            raise _Stop
        if anchor is not None:
            self.error(event, "yaml-anchor",
                       f"YAML anchors (&{anchor}) are not allowed in records; write the value out; "
                       "if it starts with '&', quote it")
            raise _Stop
        tag = getattr(event, "tag", None)
        implicit = getattr(event, "implicit", True)
        explicit = tag is not None and (
            implicit is False or (isinstance(implicit, tuple) and not any(implicit))
        )
        if explicit or (tag is not None and tag.startswith("!") and name != "ScalarEvent"):
            self.error(event, "yaml-tag",
                       f"YAML tags ({str(tag).replace('tag:yaml.org,2002:', '!!')}) are not allowed in records; if the value starts with "
                       "'!', quote it")
            raise _Stop

    def _node(self, event: Any, path: Path_, depth: int) -> Any:
        name = type(event).__name__
        self._refuse_features(event, name)
        self.value_spans[path] = self.span(event)
        if name == "ScalarEvent":
            return self._scalar(event, path)
        if depth >= MAX_DEPTH:
            self.error(event, "too-deep", f"the front matter nests deeper than {MAX_DEPTH} levels")
            raise _Stop
        if name == "SequenceStartEvent":
            items: list[Any] = []
            while True:
                child = self.next_event()
                if type(child).__name__ == "SequenceEndEvent":
                    self._close_flow(event, child, path)
                    return items
                items.append(self._node(child, (*path, len(items)), depth + 1))
        if name == "MappingStartEvent":
            return self._mapping(path, depth, event)
        raise AssertionError(f"unexpected YAML event {name}")  # pragma: no cover

    def _close_flow(self, start: Any, end: Any, path: Path_) -> None:
        """A flow collection's span runs to its closing bracket (a block one's end is vague)."""
        if getattr(start, "flow_style", False):
            first, last = self.span(start), self.span(end)
            self.value_spans[path] = Span(first.line, first.column, last.end_line, last.end_column)

    def _mapping(self, path: Path_, depth: int, start: Any) -> dict[str, Any]:
        mapping: dict[str, Any] = {}
        next_event = self.next_event
        while True:
            key_event = next_event()
            name = type(key_event).__name__
            if name == "MappingEndEvent":
                self._close_flow(start, key_event, path)
                return mapping
            self._refuse_features(key_event, name)
            if name != "ScalarEvent":
                self.error(key_event, "complex-key", "a field name must be plain text")
                raise _Stop
            key = key_event.value
            if key_event.style not in ("", None) and self._has_control(key_event, key):
                raise _Stop
            if key == "<<" and key_event.style in ("", None):
                self.error(key_event, "yaml-merge",
                           "YAML merge keys (<<) are not allowed in records; write the fields out")
                raise _Stop
            child_path = (*path, key)
            key_span = self.span(key_event)
            value = self._node(next_event(), child_path, depth + 1)
            if key in mapping:
                first = self.key_spans[child_path]
                self.error(key_event, "duplicate-key",
                           f"'{key}' is given twice (first on line {first.line}); keep one")
                self.doc.bad_paths.add(child_path)
                continue
            self.key_spans[child_path] = key_span
            mapping[key] = value

    def _scalar(self, event: Any, path: Path_) -> Any:
        value: str = event.value
        if event.style not in ("", None):
            if self._has_control(event, value):
                self.doc.bad_paths.add(path)
            return value
        try:
            resolved = resolve_plain(value)
        except ValueError as err:
            shown = value if len(value) <= 40 else value[:37] + "..."
            if _DATE.fullmatch(value) or _DATETIME.fullmatch(value):
                reason = f" ({err})" if len(str(err)) < 40 else ""
                self.error(event, "invalid-date",
                           f"{shown} is not a real date{reason}; dates are written YYYY-MM-DD")
            else:
                self.error(event, "invalid-number",
                           f"{shown} is too long a number to read; quote it if it is text")
            self.doc.bad_paths.add(path)
            return value
        if isinstance(resolved, str):
            self._check_cut_comment(event, path)
        return resolved

    def _has_control(self, event: Any, value: str) -> bool:
        """Report a control character that an escape (``"\\e"``, ``"\\0"``) put into a quoted value."""
        bad = _CONTROL.search(value)
        if bad is None:
            return False
        self.error(event, "control-character",
                   f"the value holds the control character U+{ord(bad.group()):04X} (written as an "
                   "escape); remove it")
        return True

    def _check_cut_comment(self, event: Any, path: Path_) -> None:
        """Warn when `` #`` turned the end of an unquoted value into a comment."""
        end = event.end_mark
        line_text = self.lines[end.line + self.first_line - 1]
        if _CUT_COMMENT.match(line_text, end.column) is None:
            return
        lost = line_text[end.column :].strip()
        self.doc.problems.append(
            Problem(self.doc.path, end.line + self.first_line, end.column + 2, "warning",
                    "cut-by-comment",
                    f"the value was cut short: YAML read {lost!r} as a comment; quote the whole "
                    "value to keep it")
        )


# --- writing -------------------------------------------------------------------------------

@functools.cache
def _plain_safe() -> re.Pattern[str]:
    """Text that may stay a plain scalar. Compiled when first written, not on import: the wide
    character range takes about 15 ms to compile, and most commands never write."""
    return re.compile(r"[A-Za-z_\u00c0-\uffff][^\x00-\x1f:#?\"'\[\]{},&*!|>%@`\\]*")


#: Characters a YAML file may not hold as they are; written as ``\\uXXXX`` escapes instead.
_UNPRINTABLE = chars.LINE_CONTROL
#: Words that YAML 1.1 readers (PyYAML, many editors) take for booleans: quoted for them.
_YAML11_BOOL = frozenset({"y", "n", "yes", "no", "on", "off"})


def yaml_scalar(value: object) -> str:
    """Write ``value`` as a one-line YAML scalar that reads back as exactly ``value``.

    Text stays plain when that is safe (also for YAML 1.1 readers), else it is double-quoted
    with JSON escapes, which are valid YAML; characters a YAML file may not hold are escaped.
    """
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        if value != value:
            return ".nan"
        if value in (float("inf"), float("-inf")):
            return ".inf" if value > 0 else "-.inf"
        return repr(value)
    if isinstance(value, int):
        return repr(value)
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    text = str(value)
    if (
        _plain_safe().fullmatch(text)
        and not _UNPRINTABLE.search(text)
        and text == text.strip()
        and " -" not in text
        and text.lower() not in _YAML11_BOOL
        and resolve_plain(text) == text
    ):
        return text
    quoted = json.dumps(text, ensure_ascii=False)
    return _UNPRINTABLE.sub(lambda m: f"\\u{ord(m.group()):04x}", quoted)


def _offset(text: str, line: int, column: int) -> int:
    """Character offset of 1-based (line, column) in ``text``."""
    position = 0
    for _ in range(line - 1):
        position = text.index("\n", position) + 1
    return position + column - 1


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
        raise ValueError(f"{'.'.join(map(str, path))} is not a one-line value")
    start = _offset(doc.text, span.line, span.column)
    end = _offset(doc.text, span.end_line, span.end_column)
    written = yaml_scalar(value)
    if start == end and start > 0 and doc.text[start - 1] not in " \t":
        written = " " + written  # an empty value right after 'key:' or '-' needs its space
    return document_bytes(doc, doc.text[:start] + written + doc.text[end:])


def _lookup(data: Any, path: Path_) -> Any:
    for part in path:
        data = data[part]
    return data
