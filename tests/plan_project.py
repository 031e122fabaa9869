"""A render fixture project to change in place, and independent checks of a rendered plan.

The checks here do not use tdekit's own gate: they read the output with markdown-it (raw HTML
on, every link kept) or the standard library's HTML parser, so that a test of the gate is not
the gate testing itself.
"""

from __future__ import annotations

import re
import shutil
from html.parser import HTMLParser
from pathlib import Path

from markdown_it import MarkdownIt

PROJECT = Path(__file__).resolve().parent / "fixtures" / "render" / "project"
#: The feedback items on the plan that are shown, oldest first: F1, F2, F3.
SHOWN_FEEDBACK = ("feedback/portal-comment.md", "feedback/workshop-card.md", "feedback/fares-question.md")


def copy_project(tmp_path: Path, name: str = "plan") -> Path:
    root = tmp_path / name
    shutil.copytree(PROJECT, root)
    return root


def set_body(root: Path, rel: str, body: str) -> None:
    """Replace the body of the record at ``rel``, keeping its front matter."""
    path = root / rel
    front = path.read_text(encoding="utf-8").split("\n---\n", 1)[0]
    path.write_text(front + "\n---\n\n" + body, encoding="utf-8")


def edit(root: Path, rel: str, old: str, new: str) -> None:
    path = root / rel
    text = path.read_text(encoding="utf-8")
    assert old in text, (rel, old)
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def markdown_tokens(text: str) -> list[object]:
    """Every token of ``text`` read as CommonMark with raw HTML on, every link kept, flattened."""
    md = MarkdownIt("commonmark", {"html": True}).enable(["table", "strikethrough"])
    md.validateLink = lambda url: True  # type: ignore[method-assign]
    out: list[object] = []
    stack = list(reversed(md.parse(text)))
    while stack:
        token = stack.pop()
        out.append(token)
        stack.extend(reversed(token.children or []))
    return out


def live_markdown(text: str) -> list[str]:
    """What in a Markdown document would be live: raw HTML, images, links off http(s)/mailto/#."""
    found = []
    for token in markdown_tokens(text):
        kind = token.type  # type: ignore[attr-defined]
        if kind in ("html_block", "html_inline", "image"):
            found.append(f"{kind}: {token.content[:60]!r}")  # type: ignore[attr-defined]
        if kind == "link_open":
            href = str(token.attrGet("href") or "")  # type: ignore[attr-defined]
            if not re.match(r"^(https?:|mailto:|#)", href, re.IGNORECASE):
                found.append(f"link to {href!r}")
    return found


class _Tags(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.live: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in ("script", "iframe", "object", "embed", "form", "base", "link", "svg", "img"):
            self.live.append(f"<{tag}>")
        for name, value in attrs:
            if name.startswith("on"):
                self.live.append(f"<{tag} {name}>")
            if name in ("href", "src", "action", "formaction") and not re.match(r"^(https?:|mailto:|#)", value or ""):
                self.live.append(f"<{tag} {name}={value!r}>")

    def handle_comment(self, data: str) -> None:
        self.live.append(f"<!--{data[:40]}-->")


def live_html(text: str) -> list[str]:
    """What in an HTML document runs, loads or links off http(s)/mailto/#, and its comments."""
    parser = _Tags()
    parser.feed(text)
    parser.close()
    return parser.live


def headings(text: str) -> list[str]:
    """The text of each heading of a Markdown document, as a CommonMark reader sees them."""
    tokens = markdown_tokens(text)
    return [
        tokens[i + 1].content  # type: ignore[attr-defined]
        for i, t in enumerate(tokens)
        if t.type == "heading_open"  # type: ignore[attr-defined]
    ]
