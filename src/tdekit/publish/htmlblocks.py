"""A checked HTML document read as blocks: paragraphs with their style, runs of text, tables.

What a Word file is made of (:mod:`.wordfile`), read from the HTML that has passed the gate and
the redaction check, so that the Word file says what the HTML says and nothing else. Headings
keep their level (``h1`` is the title, ``h2`` to ``h6`` are Heading 1 to 5), lists their items
(numbered ones their numbers), tables their rows, header rows and cells, definition lists one
"term: description" paragraph each, links their address when it goes to http, https or mailto
(a link to a section of the page is its text). What a paper document has no use for is left
out: the page's head and style sheet, the contents (Word's navigation pane lists the headings)
and the skip link. Text is read as a browser shows it: runs of whitespace are one space.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from html.parser import HTMLParser

#: Elements whose content is left out, and classes that leave an element out.
SKIPPED_TAGS = frozenset({"head", "style", "script", "nav", "template"})
SKIPPED_CLASSES = frozenset({"skip"})
#: The paragraph style of each heading.
HEADINGS = {"h1": "Title", "h2": "Heading 1", "h3": "Heading 2", "h4": "Heading 3", "h5": "Heading 4", "h6": "Heading 5"}
#: Elements that end one paragraph and begin another.
BLOCKS = frozenset({
    "p", "div", "section", "article", "header", "footer", "main", "aside", "blockquote", "pre",
    "ul", "ol", "li", "dl", "figure", "figcaption", "caption", "details", "summary", "address",
    "hr", "table", "thead", "tbody", "tfoot", "tr", "td", "th", "body", "html", *HEADINGS,
})
_SPACE = re.compile(r"[ \t\n\r\f]+")
_LINKED = ("http://", "https://", "mailto:")


@dataclass
class Run:
    """A piece of text and how it is set."""

    text: str
    bold: bool = False
    italic: bool = False
    code: bool = False
    strike: bool = False
    link: str | None = None


@dataclass
class Paragraph:
    """A paragraph: its style (``Normal``, ``Heading 1``, ``List Bullet``, ...) and its runs."""

    style: str
    runs: list[Run]
    level: int = 0  # how deep in lists, for their indent


@dataclass
class Cell:
    header: bool
    blocks: list[Paragraph | Table] = field(default_factory=list)


@dataclass
class Row:
    header: bool  # a row of column headers, repeated at the top of each page
    cells: list[Cell] = field(default_factory=list)


@dataclass
class Table:
    rows: list[Row] = field(default_factory=list)

    @property
    def columns(self) -> int:
        return max((len(row.cells) for row in self.rows), default=0)


@dataclass
class Document:
    """The whole document: its title and language (from the HTML's head) and its blocks."""

    title: str = ""
    language: str = ""
    blocks: list[Paragraph | Table] = field(default_factory=list)


@dataclass
class _Frame:
    """An open element that matters: its tag, and what it sets."""

    tag: str
    style: str | None = None
    bold: bool = False
    italic: bool = False
    code: bool = False
    strike: bool = False
    link: str | None = None
    skip: bool = False


class _Reader(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.document = Document()
        self.frames: list[_Frame] = []
        self.pending: list[Run] = []
        self.sinks: list[list[Paragraph | Table]] = [self.document.blocks]
        self.tables: list[Table] = []
        self.lists: list[list[int]] = []  # per open list: [number of the next item] or [] (bullets)
        self.in_title = False
        self.prefix = ""

    # --- elements ------------------------------------------------------------------------
    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {name: value or "" for name, value in attrs}
        if tag == "html":
            self.document.language = values.get("lang", "")
        if tag == "title":
            self.in_title = True
        skip = tag in SKIPPED_TAGS or bool(SKIPPED_CLASSES & set(values.get("class", "").split()))
        frame = _Frame(tag, skip=skip)
        if tag in ("br",):
            self._text("\n", raw=True)
            return
        if tag in BLOCKS:
            self._flush()
            self._open_block(tag, frame, values)
        self._inline(tag, values, frame)
        if tag not in ("hr", "img", "wbr", "col", "meta"):
            self.frames.append(frame)
        if tag == "img" and values.get("alt"):
            self._text(f"[{values['alt']}]")

    def handle_endtag(self, tag: str) -> None:
        if tag == "title":
            self.in_title = False
        if not any(frame.tag == tag for frame in self.frames):
            return
        if tag in BLOCKS or tag == "dt" or tag == "dd":
            self._before_end(tag)
        while self.frames:
            frame = self.frames.pop()
            self._close(frame)
            if frame.tag == tag:
                break

    def handle_data(self, data: str) -> None:
        if self.in_title:
            self.document.title += data
        elif not self._skipping():
            self._text(data)

    # --- blocks --------------------------------------------------------------------------
    def _open_block(self, tag: str, frame: _Frame, values: dict[str, str]) -> None:
        if tag in HEADINGS:
            frame.style = HEADINGS[tag]
        elif tag in ("ul", "ol"):
            self.lists.append([_start(values)] if tag == "ol" else [])
        elif tag == "li" and self.lists:
            numbers = self.lists[-1]
            frame.style = "List Bullet" if not numbers else "List Paragraph"
            if numbers:
                self.prefix = f"{numbers[0]}. "
                numbers[0] += 1
        elif tag == "blockquote":
            frame.style = "Quote"
        elif tag == "pre":
            frame.code = True
        elif tag == "table":
            table = Table()
            self.tables.append(table)
            self.sinks[-1].append(table)
        elif tag == "tr" and self.tables:
            header = any(f.tag == "thead" for f in self.frames)
            self.tables[-1].rows.append(Row(header))
        elif tag in ("td", "th") and self.tables and self.tables[-1].rows:
            cell = Cell(header=tag == "th")
            self.tables[-1].rows[-1].cells.append(cell)
            self.sinks.append(cell.blocks)
            frame.bold = tag == "th"

    def _before_end(self, tag: str) -> None:
        if tag == "dt":  # "Status: Draft", one paragraph
            self._text(": ", raw=True)
        else:
            self._flush()

    def _close(self, frame: _Frame) -> None:
        if frame.tag in ("ul", "ol") and self.lists:
            self.lists.pop()
        elif frame.tag == "table" and self.tables:
            self.tables.pop()
        elif frame.tag in ("td", "th") and len(self.sinks) > 1:
            self.sinks.pop()
        elif frame.tag == "li":
            self.prefix = ""  # an item with no text: its number goes with it

    # --- inline --------------------------------------------------------------------------
    def _inline(self, tag: str, values: dict[str, str], frame: _Frame) -> None:
        classes = set(values.get("class", "").split())
        frame.bold = frame.bold or tag in ("strong", "b", "dt") or "banner" in classes  # the status banner
        frame.italic = tag in ("em", "i", "cite", "q") or "tag" in classes or "empty" in classes
        frame.code = frame.code or tag in ("code", "kbd", "samp")
        frame.strike = tag in ("s", "del")
        href = values.get("href", "").strip()
        if tag == "a" and href.lower().startswith(_LINKED):
            frame.link = href
        if tag == "span" and "sub" in classes:
            self._text("\n", raw=True)

    def _skipping(self) -> bool:
        return any(frame.skip for frame in self.frames)

    def _text(self, text: str, *, raw: bool = False) -> None:
        if self._skipping():
            return
        code = any(f.code for f in self.frames)
        if not raw and not code:
            text = _SPACE.sub(" ", text)
        if not text:
            return
        links = [f.link for f in self.frames if f.link]
        self.pending.append(Run(
            text,
            bold=any(f.bold for f in self.frames),
            italic=any(f.italic for f in self.frames),
            code=code,
            strike=any(f.strike for f in self.frames),
            link=links[-1] if links else None,
        ))

    def _flush(self) -> None:
        """The text gathered so far as one paragraph, in the style of the innermost block."""
        runs = _trimmed(self.pending)
        self.pending = []
        if not runs:
            return
        if self.prefix:
            runs.insert(0, Run(self.prefix))
            self.prefix = ""
        styles = [f.style for f in self.frames if f.style]
        style = styles[-1] if styles else "Normal"
        self.sinks[-1].append(Paragraph(style, runs, level=max(len(self.lists) - 1, 0)))


def _start(values: dict[str, str]) -> int:
    """The number of a numbered list's first item (``<ol start="3">``)."""
    start = values.get("start", "1").strip()
    return int(start) if start.isdigit() and len(start) < 10 else 1


def _trimmed(runs: list[Run]) -> list[Run]:
    """``runs`` without the space at either end, nor two spaces in a row across runs."""
    kept: list[Run] = []
    after_space = True
    for run in runs:
        text = run.text
        if not run.code and after_space:
            text = text.lstrip(" ")
        if text:
            after_space = text.endswith((" ", "\n"))
            run.text = text
            kept.append(run)
    while kept and kept[-1].text.rstrip("\n" if kept[-1].code else " \n") != kept[-1].text:
        kept[-1].text = kept[-1].text.rstrip("\n" if kept[-1].code else " \n")  # code keeps its spaces
        if not kept[-1].text:
            kept.pop()
    return kept


def read(html: str) -> Document:
    """The blocks of ``html``, a document that has passed the final checks."""
    reader = _Reader()
    reader.feed(html)
    reader.close()
    reader._flush()
    reader.document.title = _SPACE.sub(" ", reader.document.title).strip()
    return reader.document
