"""Text a record or ``tde.yaml`` still holds from its template: published, it reads as real.

A record written by ``tde new`` starts as its template: prompts in the body ("What was said, as
close to the words used as consent allows."), headings with nothing under them yet, and a few
prose values in the front matter ("To be drafted"). ``tde init`` writes an organization and a
focus area for the team to replace. Left in place, all of it reaches the rendered plan as if
someone had written it, so each is a warning (code ``template-text``), at the field or body
line that holds it:

* a front-matter value equal to the prose its template writes at that place (a value of one
  word, such as ``draft`` or ``online_comment``, is a choice, not a prompt);
* a body line that is a line of prompt text of the template;
* a heading of the template with nothing under it but blank lines and empty bullets;
* a placeholder anywhere: the words ``TBD``, ``TBC``, ``TODO`` or ``FIXME`` in capitals, or
  a value that is only ``...``;
* in ``tde.yaml``, a value ``tde init`` wrote for the team to replace (:data:`INIT_DEFAULTS`).

The prompts are read from the templates themselves, rendered with sample values, so they
cannot drift from them: the shipped templates and a project's own ``templates/records/``, once
per run. The check runs as each file is read, and its findings are kept in the cache with the
file's other problems (the cache is dropped when a template changes).
"""

from __future__ import annotations

import datetime as dt
import functools
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from tdekit.problems import Problem
from tdekit.records.frontmatter import Document, Path_

__all__ = ["CODE", "INIT_DEFAULTS", "check_record", "check_settings", "template_files"]

CODE = "template-text"
#: What ``tde init`` writes into ``tde.yaml`` for the team to replace, and what belongs there.
INIT_DEFAULTS: dict[str, tuple[str, str]] = {
    "organization": ("Our open data program", "the organization that runs the project"),
    "focus_area": ("TBD: the issue area chosen in Step 1 (Find)", "the issue area chosen in Step 1 (Find)"),
}
#: Placeholders, matched as whole words in capitals: "todo list" in prose is not one.
PLACEHOLDERS = ("TBD", "TBC", "TODO", "FIXME")
_PLACEHOLDER = re.compile(r"\b(?:TBD|TBC|TODO|FIXME)\b")
_DOTS = re.compile(r"\s*(?:\.{3,}|…)\s*")
_HEADING = re.compile(r"(#{1,6})[ \t]+(.*?)[ \t#]*")
_SPACE = re.compile(r"\s*")
_EMPTY_ITEM = re.compile(r"(?:[-*+]|\d+[.)])(?:[ \t]+\[[ xX]?\])?[ \t]*")
#: Sample values the record templates are rendered with; lines that show them are not prompts.
_SAMPLE_ID = "tdekit-sample-id"
_SAMPLE_TITLE = "tdekit sample title"


@dataclass(frozen=True)
class Prompts:
    """What one kind's templates write for the team to replace."""

    values: dict[Path_, frozenset[str]]  # front-matter place -> the prose written there
    lines: frozenset[str]  # body lines of prompt text, stripped
    headings: frozenset[tuple[int, str]]  # (level, text) of the body's headings

    #: What a file's front matter is first searched for: whatever could be template text in it.
    front_needles: tuple[str, ...] = field(init=False)
    #: The headings as written, ``## Context``, which a body is first searched for.
    heading_lines: tuple[str, ...] = field(init=False)

    def __post_init__(self) -> None:
        front = tuple(value for values in self.values.values() for value in values)
        object.__setattr__(self, "front_needles", (*front, "...", "…"))
        object.__setattr__(self, "heading_lines", tuple(f"{'#' * n} {text}" for n, text in self.headings))


def template_files(root: Path) -> list[Path]:
    """The record templates the prompts come from: tdekit's own, then the project's."""
    from tdekit.templating import shipped_dir

    folders = [shipped_dir("templates") / "records", root / "templates" / "records"]
    return [path for folder in folders if folder.is_dir() for path in sorted(folder.glob("*.md.j2"))]


def forget() -> None:
    """Forget the prompts read so far: each run (each load of a project) reads them afresh."""
    prompts.cache_clear()


@functools.cache
def prompts(root: Path, kind: str) -> Prompts:
    """The prompts of ``kind``'s templates, shipped and the project's own, once per run."""
    from tdekit.records.frontmatter import read_document
    from tdekit.templating import environment

    values: dict[Path_, set[str]] = {}
    lines: set[str] = set()
    headings: set[tuple[int, str]] = set()
    envs = [environment(None)]
    if (root / "templates" / "records" / f"{kind}.md.j2").is_file():
        envs.append(environment(root))
    for env in envs:
        text = _rendered(env, kind)
        if text is None:
            continue
        doc = read_document(text.encode("utf-8"), f"{kind}.md")
        for place, value in _texts(doc.data or {}):
            if place not in (("id",), ("title",)) and len(value.split()) > 1:
                values.setdefault(place, set()).add(value.strip())
        for line in doc.body.splitlines():
            stripped = line.strip()
            heading = _HEADING.fullmatch(stripped)
            if _SAMPLE_TITLE in stripped or _SAMPLE_ID in stripped:
                continue
            if heading:
                headings.add((len(heading.group(1)), heading.group(2)))
            elif stripped and not _EMPTY_ITEM.fullmatch(stripped):
                lines.add(stripped)
    return Prompts({k: frozenset(v) for k, v in values.items()}, frozenset(lines), frozenset(headings))


def _rendered(env: Any, kind: str) -> str | None:
    """The template rendered with sample values, or None when there is none or it fails
    (``tde new`` reports a broken template; here it only has no prompts)."""
    from tdekit.records.kinds import DEFAULT_CRITERIA

    try:
        return str(env.get_template(f"records/{kind}.md.j2").render(
            id=_SAMPLE_ID, title=_SAMPLE_TITLE, today=dt.date(2000, 1, 1).isoformat(),
            kind=kind, criteria=DEFAULT_CRITERIA,
        ))
    except Exception:  # any failure of a project's own template: no prompts from it
        return None


def _texts(data: Any, place: Path_ = ()) -> Iterator[tuple[Path_, str]]:
    """(place, text) of every text value in ``data``, however deep."""
    if isinstance(data, str):
        yield place, data
    elif isinstance(data, dict):
        for key, value in data.items():
            if isinstance(key, str):
                yield from _texts(value, (*place, key))
    elif isinstance(data, list):
        for index, value in enumerate(data):
            yield from _texts(value, (*place, index))


def _name(place: Path_) -> str:
    return ".".join(f"[{p}]" if isinstance(p, int) else str(p) for p in place).replace(".[", "[")


def _clip(text: str, limit: int = 60) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 3] + "..."


def _placeholder(text: str) -> str | None:
    """The placeholder in ``text``, if any."""
    if _DOTS.fullmatch(text):
        return text.strip()
    return _word_placeholder(text)


def _word_placeholder(text: str) -> str | None:
    """A placeholder word in ``text`` (a body line: '...' there is prose, not a placeholder)."""
    found = _PLACEHOLDER.search(text) if any(word in text for word in PLACEHOLDERS) else None
    return found.group() if found else None


def check_record(doc: Document, kind: str, root: Path) -> list[Problem]:
    """The warnings for template text left in a record file.

    Most records hold none, and most of the time goes to saying so: the file's text is first
    searched for anything that could be template text, and only what could be is looked at
    line by line or value by value.
    """
    if doc.data is None:
        return []
    found = prompts(root, kind)
    text, body = doc.text, doc.body
    words = ("TB" in text or "TODO" in text or "FIXME" in text) if text else True  # one look
    front = text[: len(text) - len(body)] if text else None
    problems: list[Problem] = []
    if words or front is None or any(needle in front for needle in found.front_needles):
        problems += _check_fields(doc, found)
    heads = [head for head in found.heading_lines if head in body]
    prompt = any(line in body for line in found.lines) or (
        words and any(word in body for word in PLACEHOLDERS)
    )
    if prompt or (heads and ("<!--" in body or "```" in body or "~~~" in body)):
        problems += _scan_body(doc, found)
    elif heads:
        problems += _empty_headings(doc, found, heads)  # the same answer, without reading every line
    return problems


def _check_fields(doc: Document, found: Prompts) -> Iterator[Problem]:
    for place, value in _texts(doc.data):
        if place in doc.bad_paths:
            continue
        if value.strip() in found.values.get(place, ()):
            yield doc.problem(place, "warning", CODE,
                              f"{_name(place)} still holds the template's text '{_clip(value)}'; "
                              "replace it with the record's own words")
            continue
        mark = _placeholder(value)
        if mark is not None:
            yield doc.problem(place, "warning", CODE,
                              f"{_name(place)} holds a placeholder ('{mark}'); fill it in before "
                              "anything built from it is shared")


def _scan_body(doc: Document, found: Prompts) -> list[Problem]:
    """Prompt lines, empty template headings and placeholders in the body, each at its line,
    read line by line: comments and fenced code are told apart."""
    body = doc.body
    problems: list[Problem] = []
    lines = body.splitlines()
    visible = _visible(lines)
    previous_prompt = False
    for index, text in enumerate(visible):
        is_prompt = text in found.lines
        heading = _HEADING.fullmatch(text or "")
        message = None
        if text is None:
            pass
        elif is_prompt and not previous_prompt:  # once for a prompt of several lines
            message = (f"the body still holds the template's prompt '{_clip(text)}'; "
                       "replace it with the record's own words")
        elif heading and (len(heading.group(1)), heading.group(2)) in found.headings:
            if _empty_section(visible[index + 1 :], len(heading.group(1))):
                message = _empty_heading_message(heading.group(2))
        elif not is_prompt and (mark := _word_placeholder(text)) is not None:
            message = (f"the body holds a placeholder ('{mark}'); fill it in before anything "
                       "built from it is shared")
        if message is not None:
            line = lines[index]
            column = len(line) - len(line.lstrip()) + 1
            problems.append(Problem(doc.path, doc.body_line + index, column, "warning", CODE, message))
        previous_prompt = is_prompt
    return problems


def _empty_headings(doc: Document, found: Prompts, heads: list[str]) -> list[Problem]:
    """The template's headings with nothing under them, in a body without comments and
    fenced code, found by searching for them rather than reading every line."""
    body = doc.body
    problems = []
    for head in heads:
        start = 0
        while (at := body.find(head, start)) >= 0:
            start = at + len(head)
            first = body.rfind("\n", 0, at) + 1
            end = body.find("\n", at)
            end = len(body) if end < 0 else end
            line = body[first:end]
            heading = _HEADING.fullmatch(line.strip())
            if heading is None or (len(heading.group(1)), heading.group(2)) not in found.headings:
                continue
            if _nothing_after(body, end, len(heading.group(1))):
                problems.append(Problem(
                    doc.path, doc.body_line + body.count("\n", 0, first), len(line) - len(line.lstrip()) + 1,
                    "warning", CODE, _empty_heading_message(heading.group(2)),
                ))
    return sorted(set(problems), key=Problem.sort_key)


def _nothing_after(body: str, end: int, level: int) -> bool:
    """True when only blank lines and empty bullets follow ``end`` up to the next heading that
    is not a subsection of one of ``level`` (or the end of ``body``)."""
    after = _SPACE.match(body, end).end()  # type: ignore[union-attr]  # \s* always matches
    if after == len(body):
        return True
    if body[after] not in "#-*+0123456789":
        return False  # text follows: the usual case, decided without reading lines
    return _empty_section((line.strip() for line in body[end + 1 :].split("\n")), level)


def _empty_heading_message(text: str) -> str:
    return (f"the heading '{text}' from the template has nothing under it; fill the section in "
            "or remove the heading")


def _visible(lines: list[str]) -> list[str | None]:
    """Each line as the plan shows it, stripped, without HTML comments (which the plan leaves
    out: teams keep notes there); None for fenced code, shown as typed and not checked."""
    shown: list[str | None] = []
    fenced = in_comment = False
    for line in lines:
        if not in_comment and line.strip().startswith(("```", "~~~")):
            fenced = not fenced
            shown.append(None)
            continue
        if fenced:
            shown.append(None)
            continue
        text, rest = "", line
        while rest:
            mark = rest.find("-->" if in_comment else "<!--")
            if mark < 0:
                text += "" if in_comment else rest
                break
            text += "" if in_comment else rest[:mark]
            rest = rest[mark + (3 if in_comment else 4) :]
            in_comment = not in_comment
        shown.append(text.strip())
    return shown


def _empty_section(following: Iterable[str | None], level: int) -> bool:
    """True when the lines ``following`` a heading of ``level`` (stripped; None for fenced code)
    hold nothing but blank lines, comments and empty bullets, up to the next heading that is not
    one of its subsections (or the end)."""
    for text in following:
        if text is None:
            return False  # fenced code is content
        heading = _HEADING.fullmatch(text)
        if heading:
            return len(heading.group(1)) <= level
        if text and not _EMPTY_ITEM.fullmatch(text):
            return False
    return True


def check_settings(doc: Document) -> list[Problem]:
    """The warnings for ``tde.yaml``: what ``tde init`` wrote to be replaced, and placeholders."""
    problems = []
    for place, value in _texts(doc.data or {}):
        if place in doc.bad_paths:
            continue
        default = INIT_DEFAULTS.get(str(place[0])) if len(place) == 1 else None
        if default is not None and value.strip() == default[0]:
            problems.append(doc.problem(place, "warning", CODE,
                                        f"{_name(place)} is still what tde init wrote ('{_clip(value)}'); "
                                        f"every plan prints it: put in {default[1]}"))
            continue
        mark = _placeholder(value)
        if mark is not None:
            problems.append(doc.problem(place, "warning", CODE,
                                        f"{_name(place)} holds a placeholder ('{mark}'); fill it in before "
                                        "anything built from it is shared"))
    return problems
