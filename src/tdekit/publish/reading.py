"""A finished document as a reader's software sees it: its elements, style, comments and text.

HTML is read by the standard library's parser. Markdown is read as a CommonMark renderer with
raw HTML on would read it, every link kept whatever its address: its links and images become
``a`` and ``img`` elements, and its raw HTML is read as HTML. Every piece carries the line of
the document it comes from, so that a refusal can say where.

The text is kept in runs: a run joined to the one before it continues the same word across
inline markup (``Ro<b>s</b>a`` reads ``Rosa``), while a block (a paragraph, a cell, a line
break) starts a new one.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass, field
from html.parser import HTMLParser
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from markdown_it.token import Token

#: Elements that end a word: the text after one of them does not continue the text before it.
BLOCKS = frozenset({
    "address", "article", "aside", "blockquote", "body", "br", "caption", "dd", "details", "div",
    "dl", "dt", "figcaption", "figure", "footer", "h1", "h2", "h3", "h4", "h5", "h6", "head",
    "header", "hr", "html", "li", "main", "meta", "nav", "ol", "p", "pre", "section", "style",
    "summary", "table", "tbody", "td", "tfoot", "th", "thead", "title", "tr", "ul", "img",
})
#: Elements whose content is not markup: the parser hands it over as it is.
RAW_TEXT = frozenset({"style", "script"})
#: Markup the parser met in text and did not read as markup: a browser might.
_STRAY = re.compile(r"<[A-Za-z/!?]")
#: An unescaped ``<`` or ``[``: where Markdown inline text may hold a tag, a link or an image.
_MARKUP = re.compile(r"(?<!\\)(?:\\\\)*[<\[]")
#: What Markdown inline text without tags, links or images shows as nothing.
_PLAIN_MARKS = re.compile(r"[*_~`]+|\\(?=[!-/:-@\[-`{-~])")


@dataclass(frozen=True)
class Element:
    line: int
    tag: str
    attrs: tuple[tuple[str, str], ...]


@dataclass
class Reading:
    """What a document holds, each piece with its line (1-based)."""

    fmt: str
    source: str
    elements: list[Element] = field(default_factory=list)
    styles: list[tuple[int, str]] = field(default_factory=list)  # <style> contents
    comments: list[tuple[int, str]] = field(default_factory=list)
    odd: list[tuple[int, str]] = field(default_factory=list)  # declarations, stray "<"
    #: (line, text, joined to the run before it)
    text: list[tuple[int, str, bool]] = field(default_factory=list)

    def add_text(self, line: int, text: str, joined: bool) -> None:
        if text:
            self.text.append((line, text, joined))


def read(text: str, fmt: str) -> Reading:
    """Read a finished ``html`` or ``md`` document."""
    reading = Reading(fmt, text)
    if fmt == "html":
        read_html(reading, text, 1)
    else:
        _read_markdown(reading, text)
    return reading


_CSS_ESCAPE = re.compile(r"\\(?:([0-9A-Fa-f]{1,6})[ \t\n\r\f]?|(.))", re.DOTALL)


def css_unescape(css: str) -> str:
    """CSS text with its escapes (``\\72``, ``\\l``) read: what the browser reads."""

    def char(match: re.Match[str]) -> str:
        if match.group(1):
            code = int(match.group(1), 16)
            return chr(code) if 0 < code <= 0x10FFFF and not 0xD800 <= code <= 0xDFFF else "\ufffd"
        return "" if match.group(2) == "\n" else match.group(2)

    return _CSS_ESCAPE.sub(char, css) if "\\" in css else css


# --- HTML ------------------------------------------------------------------------------------


class _Walker(HTMLParser):
    def __init__(self, reading: Reading, text: str, first_line: int) -> None:
        super().__init__(convert_charrefs=True)
        self.reading = reading
        self.text = text
        self.line_before = first_line - 1
        self.raw: str | None = None  # the raw-text element open, if any
        self.joined = False
        self.line_starts: list[int] | None = None  # where each line of ``text`` starts, when needed

    def line(self) -> int:
        return self.getpos()[0] + self.line_before

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = tuple((name, value or "") for name, value in attrs)
        self.reading.elements.append(Element(self.line(), tag, values))
        for _, value in values:  # an attribute's text is in the file too
            self.reading.add_text(self.line(), value, False)
        if tag in RAW_TEXT:
            self.raw = tag
        self.joined = self.joined and tag not in BLOCKS

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.handle_starttag(tag, attrs)
        if tag in RAW_TEXT:
            self.raw = None

    def handle_endtag(self, tag: str) -> None:
        if tag == self.raw:
            self.raw = None
        self.joined = self.joined and tag not in BLOCKS

    def handle_data(self, data: str) -> None:
        if self.raw is not None:  # a style sheet (or a script, which the gate refuses anyway)
            if self.raw == "style":
                self.reading.styles.append((self.line(), data))
            self.reading.add_text(self.line(), css_unescape(data), False)
            return
        if data.startswith("<") and self.unread():
            shown = self.text[self.offset_here() :][:20]
            self.reading.odd.append((self.line(), f"markup the parser could not read, {shown!r}"))
        self.reading.add_text(self.line(), data, self.joined)
        self.joined = True

    def unread(self) -> bool:
        """Whether the text just handed over starts with a ``<`` the parser could not read as
        markup (text the parser decoded, ``&lt;b``, starts with ``&`` in the source)."""
        return _STRAY.match(self.text, self.offset_here()) is not None

    def offset_here(self) -> int:
        if self.line_starts is None:
            self.line_starts = [0, *(m.end() for m in re.finditer("\n", self.text))]
        line, column = self.getpos()
        return self.line_starts[line - 1] + column

    def handle_comment(self, data: str) -> None:
        self.reading.comments.append((self.line(), data))
        self.reading.add_text(self.line(), data, False)
        self.joined = False

    def handle_decl(self, decl: str) -> None:
        if " ".join(decl.lower().split()) != "doctype html":
            self.reading.odd.append((self.line(), f"a declaration <!{decl[:20]}>"))

    def unknown_decl(self, data: str) -> None:
        self.reading.odd.append((self.line(), f"a declaration <![{data[:20]}"))

    def handle_pi(self, data: str) -> None:
        self.reading.odd.append((self.line(), f"a processing instruction <?{data[:20]}"))


def read_html(reading: Reading, text: str, first_line: int) -> None:
    """Add what the HTML ``text``, starting at ``first_line`` of the document, holds."""
    walker = _Walker(reading, text, first_line)
    walker.feed(text)
    walker.close()


# --- Markdown --------------------------------------------------------------------------------


def _read_markdown(reading: Reading, text: str) -> None:
    """Read Markdown block by block; an inline run without an unescaped ``<`` or ``[`` can hold
    no tag, link or image, so it is read as text without the (slow) inline parser."""
    from markdown_it import MarkdownIt
    from markdown_it.renderer import RendererHTML

    md = MarkdownIt("commonmark", {"html": True}).enable(["table", "strikethrough"])
    md.disable("inline")  # run by hand below, only where it can find something
    md.validateLink = lambda url: True  # type: ignore[method-assign]  # see every link
    env: dict[str, object] = {}
    line = 1
    for token in md.parse(text, env):
        if token.map:
            line = token.map[0] + 1
        if token.type == "html_block":
            read_html(reading, token.content, line)
        elif token.type in ("fence", "code_block"):
            reading.add_text(line + (token.type == "fence"), token.content, False)
        elif token.type == "inline":
            if not _MARKUP.search(token.content):
                _read_plain(reading, token.content, line)
                continue
            children: list[Token] = []
            md.inline.parse(token.content, md, env, children)
            if any(c.type == "html_inline" for c in children):
                read_html(reading, RendererHTML().renderInline(children, md.options, env), line)
            else:
                _read_inline(reading, children, line)


def _read_plain(reading: Reading, text: str, line: int) -> None:
    """Inline Markdown with no tag, link or image: its text as a reader sees it, near enough.

    Emphasis and code marks and escaping backslashes go (``Ro**s**a`` reads ``Rosa``) and
    entities are read; the redaction check also reads the source as it is.
    """
    shown = _PLAIN_MARKS.sub("", text)
    if "&" in shown:
        shown = html.unescape(shown)
    for number, part in enumerate(shown.split("\n")):
        reading.add_text(line + number, part, False)


def _read_inline(reading: Reading, children: list[Token], line: int) -> None:
    joined = False
    for child in children:
        kind = child.type
        if kind in ("text", "code_inline"):
            reading.add_text(line, child.content, joined)
            joined = True
        elif kind in ("softbreak", "hardbreak"):
            line += 1
            joined = False
        elif kind in ("link_open", "image"):
            tag = "a" if kind == "link_open" else "img"
            attrs = tuple((k, str(v)) for k, v in (child.attrs or {}).items())
            reading.elements.append(Element(line, tag, attrs))
            for _, value in attrs:
                reading.add_text(line, value, False)
            if kind == "image":  # the alt text; a renderer shows it when the image is missing
                _read_inline(reading, child.children or [], line)
