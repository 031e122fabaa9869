"""One record body as Markdown tokens that carry nothing hidden and nothing active.

A body is parsed on its own by markdown-it as CommonMark with raw HTML on (and tables and
~~strike~~), so that what is a comment is decided as a Markdown preview decides it. Then, in
one pass over the tokens in reading order:

- HTML comments go, in every form a preview or a browser knows: from ``<!--`` to the first
  ``-->`` after it, wherever that is (past tags, code, lines, blank lines and blocks; ``--!>``
  does not end one); ``<!-->`` and ``<!--->`` are empty comments; one that never closes hides
  the rest of the body. Text that reads ``<!--`` however it was written (``&lt;!--``,
  ``\\<!--``) starts one too: the safe side of doubt. ``<!--`` inside code is code.
- Any other raw HTML is text that reads as typed; a block of it is read again as Markdown with
  raw HTML off, so a tag never swallows the links and emphasis written around it.
- Blocks a comment emptied go with it.
- Images become links to them (http and https only) or their alt text: never loaded.
- Links to anything but http, https, mailto or a ``#section`` become their text.
- Headings move below the section that holds them and are numbered after it (``1.1``).

Each body is parsed alone, so a fence left open or a reference definition in one body cannot
reach another: the tokens hold every link resolved and every block closed.
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterator
from functools import cache
from typing import TYPE_CHECKING

from tdekit.text import URL_IGNORED

if TYPE_CHECKING:
    from markdown_it import MarkdownIt
    from markdown_it.token import Token

#: URL schemes a link in a rendered plan may use, besides a ``#section`` of the page.
SAFE_SCHEMES = frozenset({"http", "https", "mailto"})

_SCHEME = re.compile(r"^([a-z][a-z0-9+.\-]*):", re.IGNORECASE)
#: What may stand before a block on its line: indentation, quote marks, list markers.
_LINE_MARKS = " \t>-*+.)0123456789"


@cache
def parser(*, raw_html: bool = True) -> MarkdownIt:
    """CommonMark with tables and ~~strike~~, raw HTML on (to find comments) or off."""
    from markdown_it import MarkdownIt

    return MarkdownIt("commonmark", {"html": raw_html}).enable(["table", "strikethrough"])


def link_allowed(url: str) -> bool:
    """True for an address a circulated page may link to: http, https, mailto, or ``#section``."""
    plain = URL_IGNORED.sub("", html.unescape(url))
    match = _SCHEME.match(plain)
    if match is None:
        return plain.startswith("#")
    return match.group(1).lower() in SAFE_SCHEMES


def heading_anchor(number: str) -> str:
    """The id of a numbered section: ``5.3`` -> ``s5-3``."""
    return "s" + number.replace(".", "-")


def clean(text: str, *, section: str | None, level: int, fmt: str) -> list[Token]:
    """The tokens of one body, made safe (see the module's docstring), for ``md`` or ``html``."""
    tokens = _parse(text)
    _remove_comments(tokens)
    tokens = _drop_empty(_html_blocks_as_text(tokens))
    for token in tokens:
        if token.type == "inline" and token.children:
            token.children = list(_safe_inline(token.children, fmt))
    _renumber(tokens, section=section, level=level, fmt=fmt)
    return tokens


# --- comments --------------------------------------------------------------------------------


def _parse(text: str) -> list[Token]:
    """The body's tokens. What follows a comment that never closes is hidden, so it is not
    parsed at all when that comment opens within a line of text and surely outside code: a
    megabyte of ``x <!--<!--...`` costs nothing to hide. (One that opens a line is a raw HTML
    block to the parser, which is quick, or indented code, which shows.)"""
    close = text.rfind("-->")
    cut = text.find("<!--", close + 3 if close >= 0 else 0)
    if cut >= 0 and text[text.rfind("\n", 0, cut) + 1 : cut].strip(_LINE_MARKS):
        tokens = parser().parse(text[:cut])
        paragraph = text[:cut].rsplit("\n\n", 1)[-1]
        in_code = bool(tokens) and tokens[-1].type in ("fence", "code_block")
        if not in_code and "`" not in paragraph:  # a code span could hold it: parse it all
            return tokens
    return parser().parse(text)


class _Comments:
    """Cuts comments out of the pieces of a body, fed in reading order; one may span pieces."""

    def __init__(self) -> None:
        self.inside = False

    def cut(self, text: str, *, code: bool = False) -> str:
        """``text`` without what comments cover; in ``code``, only an open comment's end counts."""
        if not self.inside and (code or "<!--" not in text):
            return text
        kept: list[str] = []
        pos = 0
        while pos < len(text):
            if self.inside:
                end = text.find("-->", pos)
                if end < 0:
                    return "".join(kept)
                pos, self.inside = end + 3, False
                if code:
                    return "".join(kept) + text[pos:]
                continue
            start = text.find("<!--", pos)
            if start < 0:
                kept.append(text[pos:])
                break
            kept.append(text[pos:start])
            pos, self.inside = start + 4, True
            for empty in (">", "->"):  # <!--> and <!---> are whole, empty comments
                if text.startswith(empty, pos):
                    pos, self.inside = pos + len(empty), False
                    break
        return "".join(kept)


def _remove_comments(tokens: list[Token]) -> None:
    """Cut comments out of text and code, dropping whatever a comment covers."""
    comments = _Comments()
    for token in tokens:
        if token.type == "inline":
            kept: list[Token] = []
            for child in token.children or []:
                if child.type in ("text", "html_inline", "code_inline"):
                    child.content = comments.cut(child.content, code=child.type == "code_inline")
                    child.type = "code_inline" if child.type == "code_inline" else "text"
                    if child.content:
                        kept.append(child)
                elif not comments.inside:
                    kept.append(child)
            token.children = _balanced(kept)
        elif token.type == "html_block":
            token.content = comments.cut(token.content)
        elif token.type in ("fence", "code_block"):
            token.content = comments.cut(token.content, code=True)


def _html_blocks_as_text(tokens: list[Token]) -> list[Token]:
    """Each raw HTML block read again as Markdown with raw HTML off: its tags become text."""
    out: list[Token] = []
    for token in tokens:
        if token.type != "html_block":
            out.append(token)
            continue
        for inner in parser(raw_html=False).parse(token.content):
            inner.level += token.level
            if inner.map and token.map:
                inner.map = [inner.map[0] + token.map[0], inner.map[1] + token.map[0]]
            out.append(inner)
    return out


def _balanced(children: list[Token]) -> list[Token]:
    """Inline tokens with every opening tag that lost its closing one (or the reverse) dropped."""
    stack: list[int] = []
    drop: set[int] = set()
    for index, child in enumerate(children):
        if child.nesting == 1:
            stack.append(index)
        elif child.nesting == -1:
            if stack and children[stack[-1]].type == child.type.replace("_close", "_open"):
                stack.pop()
            else:
                drop.add(index)
    drop.update(stack)
    return [c for i, c in enumerate(children) if i not in drop]


def _drop_empty(tokens: list[Token]) -> list[Token]:
    """Without the blocks that hold nothing any more (a comment covered them); tables stay whole."""
    kept: list[Token] = []
    open_blocks: list[list[int]] = []  # for each block open: where it starts in kept, and whether it holds anything
    table = 0
    for token in tokens:
        table += token.type == "table_open"
        if token.nesting == 1:
            open_blocks.append([len(kept), table > 0])
            kept.append(token)
        elif token.nesting == -1:
            start, full = open_blocks.pop()
            if full:
                kept.append(token)
                if open_blocks:
                    open_blocks[-1][1] = True
            else:
                del kept[start:]
        elif table or token.type == "hr" or (
            token.children if token.type == "inline" else token.content.strip()
        ):
            kept.append(token)
            if open_blocks:
                open_blocks[-1][1] = True
        table -= token.type == "table_close"
    return kept


# --- images and links ----------------------------------------------------------------------


def _safe_inline(children: list[Token], fmt: str) -> Iterator[Token]:
    closing: list[bool] = []  # for each link opened: whether its closing tag is kept
    for child in children:
        if child.type == "image":
            yield from _image(child, fmt, in_link=any(closing))
        elif child.type == "link_open":
            keep = link_allowed(str(child.attrGet("href") or ""))
            closing.append(keep)
            if keep:
                yield child
        elif child.type == "link_close":
            if closing.pop() if closing else False:
                yield child
        else:
            yield child


def _image(token: Token, fmt: str, *, in_link: bool) -> Iterator[Token]:
    """An image as a link to it (http or https) or as ``[Image: alt]``: never loaded."""
    from markdown_it.token import Token

    alt = "".join(c.content for c in _flatten(token.children or []) if c.type in ("text", "code_inline"))
    src = str(token.attrGet("src") or "")
    label = Token("text", "", 0)
    if not in_link and link_allowed(src) and not src.startswith("#") and not src.lower().startswith("mailto:"):
        label.content = (f"Image: {alt}" if alt else "Image") if fmt == "html" else (alt or "Image")
        opening = Token("link_open", "a", 1)
        opening.attrSet("href", src)
        yield opening
        yield label
        yield Token("link_close", "a", -1)
    else:
        label.content = f"[Image: {alt}]" if alt else "[Image]"
        yield label


def _flatten(children: list[Token]) -> Iterator[Token]:
    for child in children:
        yield child
        yield from _flatten(child.children or [])


# --- headings --------------------------------------------------------------------------------


def _renumber(tokens: list[Token], *, section: str | None, level: int, fmt: str) -> None:
    """Top headings at ``level`` (lower ones below it), numbered ``section.N`` when given."""
    from markdown_it.token import Token

    top = [int(t.tag[1]) for t in tokens if t.type == "heading_open" and t.level == 0]
    low = min(top, default=1)
    counter = 0
    for index, token in enumerate(tokens):
        if token.type != "heading_open":
            continue
        original = int(token.tag[1])
        token.tag = tokens[index + 2].tag = f"h{min(6, max(level, level + original - low))}"
        token.markup = tokens[index + 2].markup = "#"
        if section is None or token.level != 0 or original != low:
            continue
        counter += 1
        number = f"{section}.{counter}"
        mark = Token("html_inline" if fmt == "html" else "text", "", 0)
        if fmt == "html":
            token.attrSet("id", heading_anchor(number))
            mark.content = f'<span class="num">{number}</span> '
        else:
            mark.content = f"{number} "
        inline = tokens[index + 1]
        inline.children = [mark, *(inline.children or [])]
