"""Markdown tokens written back as Markdown that a CommonMark reader takes for exactly them.

What comes out stands on its own wherever it is placed after a blank line: every block is
closed (a fence gets its closing fence, longer than any run of backticks inside), every link is
written inline (no reference definition is left to serve another part of the page), and text
is escaped wherever it could otherwise start markup: ``\\``, `````, ``[``, ``]``, ``<``,
``|``, an ``&`` that would start an entity and a ``!`` before a link, anywhere; ``#``, ``>``,
``-``, ``+``, ``=``, ``*``, ``_``, ``~`` and ``1.`` at the start of a line. Emphasis marks
elsewhere stay as typed: they change the look of a line at most, never what it does.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from markdown_it.token import Token

#: What could start a link, an image, code, raw HTML, an entity or a table cell anywhere.
_ANYWHERE = re.compile(r"[\\`\[\]<|]|&(?=#?[A-Za-z0-9]+;)|!$")
#: What would start a heading, a quote, a list, a rule, a fence or a setext underline at a
#: line's start. Emphasis marks elsewhere stay as typed: they can only change the look.
_LINE_START = re.compile(r"^[ \t]*(?:([#>+=\-*_~])|(\d{1,9})([.)]))")
_LANGUAGE = re.compile(r"[A-Za-z0-9_+#.\-]+")
_AUTOLINK = re.compile(r"^(?:(?:https?|mailto):[^\s<>\\`]*|[^\s<>@\\`]+@[^\s<>@\\`]+)$", re.IGNORECASE)


def write(tokens: Sequence[Token]) -> str:
    """The blocks of ``tokens`` as Markdown, separated by blank lines, with no trailing newline."""
    lines, _ = _blocks(tokens, 0, None)
    return "\n".join(lines).strip("\n")


def _blocks(tokens: Sequence[Token], index: int, until: str | None) -> tuple[list[str], int]:
    """Lines of the blocks from ``index`` up to the token of type ``until``, and where it is."""
    out: list[str] = []
    tight_before = False
    while index < len(tokens) and tokens[index].type != until:
        token = tokens[index]
        lines, index, tight = _block(tokens, index)
        if out and not (tight_before and token.type in ("bullet_list_open", "ordered_list_open")):
            out.append("")
        out.extend(lines)
        tight_before = tight
    return out, index


def _block(tokens: Sequence[Token], index: int) -> tuple[list[str], int, bool]:
    """One block: its lines, the index after it, whether it was a tight list's paragraph."""
    token = tokens[index]
    kind = token.type
    if kind == "paragraph_open":
        return _inline_lines(tokens[index + 1], line_start=True), index + 3, token.hidden
    if kind == "heading_open":
        text = _inline(tokens[index + 1].children or [], line_start=False, heading=True)
        return [f"{'#' * int(token.tag[1])} {' '.join(text.split(chr(10)))}".rstrip()], index + 3, False
    if kind in ("fence", "code_block"):
        return _fence(token), index + 1, False
    if kind == "hr":
        return ["---"], index + 1, False
    if kind == "blockquote_open":
        inner, end = _blocks(tokens, index + 1, "blockquote_close")
        return [f"> {line}".rstrip() for line in inner] or [">"], end + 1, False
    if kind in ("bullet_list_open", "ordered_list_open"):
        return _list(tokens, index)
    if kind == "table_open":
        return _table(tokens, index)
    if kind == "inline":  # a block of text outside a paragraph: shown as a paragraph
        return _inline_lines(token, line_start=True), index + 1, False
    return [], index + 1, False  # closing tokens or anything unknown: nothing to write


def _list(tokens: Sequence[Token], index: int) -> tuple[list[str], int, bool]:
    opening = tokens[index]
    ordered = opening.type == "ordered_list_open"
    close = "ordered_list_close" if ordered else "bullet_list_close"
    number = int(opening.attrGet("start") or 1) if ordered else 0
    tight = _tight(tokens, index)
    out: list[str] = []
    index += 1
    while tokens[index].type != close:
        marker = f"{number}{')' if opening.markup == ')' else '.'}" if ordered else "-"
        inner, index = _blocks(tokens, index + 1, "list_item_close")
        index += 1
        pad = " " * (len(marker) + 1)
        item = [f"{marker} {inner[0]}".rstrip() if inner else marker]
        item += [f"{pad}{line}" if line else "" for line in inner[1:]]
        if out and not tight:
            out.append("")
        out.extend(item)
        number += 1
    return out, index + 1, False


def _tight(tokens: Sequence[Token], start: int) -> bool:
    """Whether the list opened at ``start`` is tight: its paragraphs are hidden."""
    opening = tokens[start]
    for token in tokens[start + 1 :]:
        if token.level == opening.level and token.nesting == -1:
            return True
        if token.type == "paragraph_open" and token.level == opening.level + 2:
            return token.hidden
    return True


def _table(tokens: Sequence[Token], index: int) -> tuple[list[str], int, bool]:
    rows: list[list[str]] = []
    aligns: list[str] = []
    index += 1
    while tokens[index].type != "table_close":
        token = tokens[index]
        if token.type == "tr_open":
            rows.append([])
        elif token.type in ("th_open", "td_open"):
            cell = _inline(tokens[index + 1].children or [], line_start=False, cell=True)
            rows[-1].append(cell.replace("\n", " "))
            if token.type == "th_open":
                aligns.append(str(token.attrGet("style") or "").removeprefix("text-align:"))
        index += 1
    if not rows:
        return [], index + 1, False
    width = len(rows[0])
    rule = {"left": ":---", "center": ":---:", "right": "---:"}
    lines = [_row(rows[0], width), _row([rule.get(a, "---") for a in aligns], width)]
    lines += [_row(row, width) for row in rows[1:]]
    return lines, index + 1, False


def _row(cells: list[str], width: int) -> str:
    cells = (cells + [""] * width)[:width]
    return "| " + " | ".join(cells) + " |"


def _fence(token: Token) -> list[str]:
    """A code block as a fenced block whose fence is longer than any run of backticks in it."""
    content = token.content.rstrip("\n")
    longest = max((len(run) for run in re.findall(r"`+", content)), default=0)
    fence = "`" * max(3, longest + 1)
    words = (token.info or "").split()
    language = words[0] if words and _LANGUAGE.fullmatch(words[0]) else ""
    return [fence + language, *content.split("\n"), fence] if content else [fence + language, fence]


# --- inline ----------------------------------------------------------------------------------


def _inline_lines(token: Token, *, line_start: bool) -> list[str]:
    return _inline(token.children or [], line_start=line_start).split("\n")


def _inline(children: Sequence[Token], *, line_start: bool, heading: bool = False, cell: bool = False) -> str:
    """Inline tokens as Markdown text; ``line_start``: the first token begins a line."""
    out: list[str] = []
    at_start = line_start
    index = 0
    while index < len(children):
        child = children[index]
        kind = child.type
        if kind == "text":
            out.append(_text(child.content, at_start=at_start, heading=heading, cell=cell))
        elif kind == "code_inline":
            out.append(_code(child.content, cell=cell))
        elif kind == "softbreak":
            out.append(" " if heading or cell else "\n")
            at_start = not (heading or cell)
            index += 1
            continue
        elif kind == "hardbreak":
            out.append(" " if heading or cell else "\\\n")
            at_start = not (heading or cell)
            index += 1
            continue
        elif kind in ("em_open", "em_close", "strong_open", "strong_close", "s_open", "s_close"):
            out.append(child.markup or {"em": "*", "strong": "**", "s": "~~"}[kind.rsplit("_", 1)[0]])
        elif kind == "link_open":
            end = _link_end(children, index)
            out.append(_link(child, children[index + 1 : end], heading=heading, cell=cell))
            index = end
        elif kind == "html_inline":  # only raw HTML that tdekit made for the HTML form
            out.append(_text(child.content, at_start=at_start, heading=heading, cell=cell))
        at_start = False
        index += 1
    return "".join(out)


def _link_end(children: Sequence[Token], start: int) -> int:
    for index in range(start + 1, len(children)):
        if children[index].type == "link_close":
            return index
    return len(children)


def _link(opening: Token, inner: Sequence[Token], *, heading: bool, cell: bool) -> str:
    href = str(opening.attrGet("href") or "")
    label = _inline(inner, line_start=False, heading=heading, cell=cell)
    if opening.markup == "autolink":
        shown = "".join(c.content for c in inner if c.type == "text")
        if _AUTOLINK.match(shown) and not cell:
            return f"<{shown}>"
    destination = f"<{href}>" if any(c in href for c in "() ") else href
    title = str(opening.attrGet("title") or "")
    if title:
        title = " \"" + " ".join(title.split()).replace("\\", "\\\\").replace('"', '\\"') + "\""
        title = title.replace("|", "\\|") if cell else title
    return f"[{label}]({destination}{title})"


def _code(content: str, *, cell: bool) -> str:
    longest = max((len(run) for run in re.findall(r"`+", content)), default=0)
    tick = "`" * (longest + 1)
    if content.startswith("`") or content.endswith("`") or (
        content.startswith(" ") and content.endswith(" ") and content.strip()
    ):
        content = f" {content} "
    if cell:
        content = content.replace("|", "\\|")
    return f"{tick}{content}{tick}"


def _text(content: str, *, at_start: bool, heading: bool, cell: bool) -> str:
    text = _ANYWHERE.sub(r"\\\g<0>", content)
    if heading or cell:
        text = " ".join(text.split("\n"))
        return text.replace("#", "\\#") if heading else text
    lines = text.split("\n")  # raw HTML shown as text may span lines: each one starts a line
    return "\n".join(_line_start(line) if at_start or number else line for number, line in enumerate(lines))


def _line_start(line: str) -> str:
    """``line`` with what would make it a heading, quote, list item or rule escaped."""
    match = _LINE_START.match(line)
    if match is None:
        return line.lstrip(" \t")
    if match.group(1):
        return "\\" + line[match.start(1) :]
    return match.group(2) + "\\" + line[match.start(3) :]
