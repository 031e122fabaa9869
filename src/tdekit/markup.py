"""Record bodies and front-matter text made safe for a circulated plan, as HTML or as Markdown.

Anything a resident or a partner typed stays text. For HTML, a body goes through markdown-it
with raw HTML off (tags become visible text, unsafe links stay text) and then through nh3 with
a short allow-list, so a mistake in one layer is caught by the other. Images become links or
their alt text: a remote image in a circulated page tells its owner who opened it. For
Markdown (pasted into an issue or a wiki), a body is kept as written except that raw HTML is
escaped, images become links and links to anything but http, https, mailto or a relative
address lose their target; a body that still fails the final check is shown as literal text.

HTML comments are removed from bodies in both forms: teams use them for notes to themselves.
Headings inside a body are moved below the section that holds them and numbered after it
(``1.1``, ``1.2``) so that a reader can cite them.
"""

from __future__ import annotations

import html
import re
from collections.abc import Callable, Sequence
from functools import cache
from typing import TYPE_CHECKING, Any

from tdekit.text import URL_IGNORED
from tdekit.text import join_words as text_join_words

if TYPE_CHECKING:
    from markdown_it import MarkdownIt
    from markdown_it.token import Token

#: URL schemes a link in a rendered plan may use.
SAFE_SCHEMES = frozenset({"http", "https", "mailto"})

_TAGS = {
    "p", "h2", "h3", "h4", "h5", "h6", "ul", "ol", "li", "blockquote", "pre", "code", "em",
    "strong", "s", "del", "a", "br", "hr", "table", "thead", "tbody", "tr", "th", "td", "span",
}
_ALIGN = {"text-align:left", "text-align:center", "text-align:right"}
_SCHEME = re.compile(r"^([a-z][a-z0-9+.\-]*):", re.IGNORECASE)
_COMMENT = re.compile(r"<!--.*?-->", re.DOTALL)
_CODE_SPAN = re.compile(r"(?<!`)(`+)(?!`).*?(?<!`)\1(?!`)", re.DOTALL)
_TAG_START = re.compile(r"<(?=[A-Za-z!?/])")
_SAFE_AUTOLINK = re.compile(r"<(?:https?|mailto):[^\s<>]*>", re.IGNORECASE)
_IMAGE = re.compile(r"(?<!\\)!\[")
_LINK_DEST = re.compile(r"\]\([ \t]*\n?[ \t]*")
_REF_DEF = re.compile(r"^ {0,3}\[(?:[^\]\\]|\\.)+\]:[ \t]*\n?[ \t]*", re.MULTILINE)


def safe_url(url: str) -> bool:
    """True for an address a plan may link to: http, https, mailto, or one without a scheme."""
    from markdown_it.common.utils import unescapeAll

    plain = URL_IGNORED.sub("", unescapeAll(html.unescape(url)))
    match = _SCHEME.match(plain)
    return match is None or match.group(1).lower() in SAFE_SCHEMES


def _absolute_or_fragment(url: str) -> bool:
    """Addresses that still work once the page is emailed: http(s), mailto, and #anchors."""
    plain = URL_IGNORED.sub("", html.unescape(url))
    match = _SCHEME.match(plain)
    if match is None:
        return plain.startswith("#")
    return match.group(1).lower() in SAFE_SCHEMES


@cache
def _parser() -> MarkdownIt:
    from markdown_it import MarkdownIt

    md = MarkdownIt("commonmark", {"html": False}).enable(["table", "strikethrough"])
    md.add_render_rule("image", _render_image)
    return md


def _render_image(
    self: Any, tokens: Sequence[Token], idx: int, options: Any, env: Any
) -> str:
    """An image as a link to it (http or https) or as its alt text: never loaded by the page."""
    token = tokens[idx]
    alt = self.renderInlineAsText(token.children or [], options, env).strip()
    src = str(token.attrGet("src") or "")
    label = html.escape(f"Image: {alt}" if alt else "Image", quote=False)
    if _absolute_or_fragment(src) and not src.startswith("#"):
        return f'<a href="{html.escape(src)}">{label}</a>'
    return f"<span>[{label}]</span>"


# --- the parts of a body that are not code ---------------------------------------------------


def _code_block_lines(text: str) -> set[int]:
    """0-based numbers of the lines that belong to fenced or indented code blocks."""
    lines: set[int] = set()
    for token in _parser().parse(text):
        if token.type in ("fence", "code_block") and token.map:
            lines.update(range(token.map[0], token.map[1]))
    return lines


def _outside_code(text: str, change: Callable[[str], str]) -> str:
    """``text`` with ``change`` applied to every stretch that is not code (block or span)."""
    code = _code_block_lines(text)
    lines = text.split("\n")
    out: list[str] = []
    stretch: list[str] = []

    def flush() -> None:
        if stretch:
            out.append(_outside_spans("\n".join(stretch), change))
            stretch.clear()

    for number, line in enumerate(lines):
        if number in code:
            flush()
            out.append(line)
        else:
            stretch.append(line)
    flush()
    return "\n".join(out)


def _outside_spans(text: str, change: Callable[[str], str]) -> str:
    parts: list[str] = []
    last = 0
    for match in _CODE_SPAN.finditer(text):
        parts.append(change(text[last : match.start()]))
        parts.append(match.group(0))
        last = match.end()
    parts.append(change(text[last:]))
    return "".join(parts)


def strip_comments(text: str) -> str:
    """The body without its HTML comments (code keeps them)."""
    return _outside_code(text, lambda part: _COMMENT.sub("", part))


# --- headings --------------------------------------------------------------------------------


def _heading_plan(tokens: Sequence[Token]) -> tuple[int, int]:
    """The smallest heading level used at the top of the body, and how many such headings."""
    top = [int(t.tag[1]) for t in tokens if t.type == "heading_open" and t.level == 0]
    if not top:
        return 1, 0
    low = min(top)
    return low, sum(1 for level in top if level == low)


def heading_anchor(number: str) -> str:
    """The id of a numbered section: ``5.3`` -> ``s5-3``."""
    return "s" + number.replace(".", "-")


# --- HTML ------------------------------------------------------------------------------------


def to_html(text: str, *, section: str | None = None, level: int = 3) -> str:
    """A body as safe HTML; its top headings become ``level`` and are numbered ``section.N``."""
    import nh3
    from markdown_it.token import Token

    md = _parser()
    tokens = md.parse(strip_comments(text))
    low, _ = _heading_plan(tokens)
    counter = 0
    for index, token in enumerate(tokens):
        if token.type != "heading_open":
            continue
        original = int(token.tag[1])
        new = min(6, max(level, level + original - low))
        token.tag = tokens[index + 2].tag = f"h{new}"
        if section is not None and token.level == 0 and original == low:
            counter += 1
            number = f"{section}.{counter}"
            token.attrSet("id", heading_anchor(number))
            mark = Token("html_inline", "", 0)
            mark.content = f'<span class="num">{number}</span> '
            inline = tokens[index + 1]
            inline.children = [mark, *(inline.children or [])]
    rendered = md.renderer.render(tokens, md.options, {})
    return str(
        nh3.clean(
            rendered,
            tags=_TAGS,
            attributes={
                "a": {"href", "title"},
                "ol": {"start"},
                **{f"h{n}": {"id"} for n in range(2, 7)},
            },
            tag_attribute_values={"th": {"style": _ALIGN}, "td": {"style": _ALIGN}},
            allowed_classes={"span": {"num"}},
            attribute_filter=_keep_attribute,
            url_schemes=set(SAFE_SCHEMES),
            link_rel="noopener noreferrer nofollow",
            strip_comments=True,
        )
    )


def _keep_attribute(tag: str, attribute: str, value: str) -> str | None:
    if attribute == "href" and not _absolute_or_fragment(value):
        return None
    return value


# --- Markdown --------------------------------------------------------------------------------


def to_markdown(text: str, *, section: str | None = None, level: int = 3) -> str:
    """A body as GitHub-flavoured Markdown that is safe to paste, headings moved and numbered."""
    body = _outside_code(strip_comments(text), _defuse)
    body = _renumber(body, section=section, level=level)
    body = body.strip("\n")
    return body if _passes(body) else fenced(text)


def _defuse(part: str) -> str:
    """Raw HTML escaped, images made links, unsafe link targets emptied, in text that is not code."""
    part = _empty_unsafe_targets(part)
    kept: list[str] = []
    last = 0
    for match in _SAFE_AUTOLINK.finditer(part):
        kept.append(_TAG_START.sub("&lt;", part[last : match.start()]))
        kept.append(match.group(0))
        last = match.end()
    kept.append(_TAG_START.sub("&lt;", part[last:]))
    return _IMAGE.sub("[", "".join(kept))


def _empty_unsafe_targets(part: str) -> str:
    from markdown_it.helpers import parseLinkDestination

    edits: list[tuple[int, int]] = []
    for pattern in (_LINK_DEST, _REF_DEF):
        for match in pattern.finditer(part):
            found = parseLinkDestination(part, match.end(), len(part))
            if found.ok and not safe_url(found.str):
                edits.append((match.end(), found.pos))
    for start, end in sorted(edits, reverse=True):
        part = part[:start] + "<>" + part[end:]
    return part


def _renumber(body: str, *, section: str | None, level: int) -> str:
    """Top-level headings as ATX headings at ``level`` (and below), numbered after ``section``."""
    tokens = _parser().parse(body)
    low, _ = _heading_plan(tokens)
    lines = body.split("\n")
    counter = 0
    replacements: list[tuple[int, int, str]] = []
    for index, token in enumerate(tokens):
        if token.type != "heading_open" or token.level != 0 or not token.map:
            continue
        original = int(token.tag[1])
        new = min(6, max(level, level + original - low))
        title = tokens[index + 1].content.strip()
        if section is not None and original == low:
            counter += 1
            title = f"{section}.{counter} {title}"
        replacements.append((token.map[0], token.map[1], "#" * new + " " + title))
    for start, end, line in sorted(replacements, reverse=True):
        lines[start:end] = [line]
    return "\n".join(lines)


def _passes(body: str) -> bool:
    """The final check: no image, no raw HTML, no unsafe link anywhere in the Markdown."""
    from markdown_it import MarkdownIt

    md = MarkdownIt("commonmark", {"html": True}).enable(["table", "strikethrough"])
    md.validateLink = lambda url: True  # type: ignore[method-assign]  # see every link
    stack = list(md.parse(body))
    while stack:
        token = stack.pop()
        stack.extend(token.children or [])
        if token.type in ("image", "html_inline", "html_block"):
            return False
        if token.type == "link_open" and not safe_url(str(token.attrGet("href") or "")):
            return False
    return True


def fenced(text: str) -> str:
    """``text`` as a fenced block of literal text (a fence longer than any inside it)."""
    longest = max((len(m) for m in re.findall(r"`+", text)), default=0)
    fence = "`" * max(3, longest + 1)
    return f"{fence}text\n{text.strip(chr(10))}\n{fence}"


_MD_SPECIAL = re.compile(r"([\\`*_\[\]<>|~])")
_MD_ENTITY = re.compile(r"&(?=#?[A-Za-z0-9]+;)")
#: What would start a heading, a list or a rule at the start of a line.
_MD_LEADING = re.compile(r"^(\s*)([#+](?=\s|$)|-(?=[\s-]|$)|\d+(?=[.)](?:\s|$)))")


def md_text(value: object) -> str:
    """Front-matter text for Markdown: shown as typed, on one line, never read as markup."""
    text = " ".join(str(value).split())
    text = _MD_SPECIAL.sub(r"\\\1", text)
    text = _MD_ENTITY.sub(r"\\&", text)
    match = _MD_LEADING.match(text)
    if match:
        lead, mark = match.group(1), match.group(2)
        rest = text[match.end() :]
        text = lead + (mark + "\\" + rest[0] + rest[1:] if mark.isdigit() and rest else "\\" + mark + rest)
    return text


def join_words(values: Sequence[object]) -> str:
    """``a``, ``a and b``, ``a, b and c`` (the ``join_words`` filter of the templates)."""
    return text_join_words(values)


def css_string(value: object) -> str:
    """``value`` as a quoted CSS string whose every sign but letters, digits and spaces is escaped.

    The result holds no quote, ``<``, ``>`` or ``&``, so it is safe inside a ``<style>`` element
    and reads the same in CSS as it was typed.
    """
    text = " ".join(str(value).split())
    return '"' + "".join(c if c.isalnum() or c == " " else f"\\{ord(c):x} " for c in text) + '"'
