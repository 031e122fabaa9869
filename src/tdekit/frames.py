"""Frames around the tables of a record's body, in the HTML plan.

A table wider than a phone's screen would make the whole page scroll sideways. In its own
frame it scrolls alone; the frame takes the keyboard focus, so that it can be scrolled without
a mouse (WCAG 2.1.1), and has a name for screen readers. The plan's own tables get the same
frame from the template; the tables a team writes in Markdown get it here.
"""

from __future__ import annotations

from html.parser import HTMLParser

#: What opens the frame around a table of a body; ``.table-wrap`` is styled in plan.css.j2.
FRAME = '<div class="table-wrap" role="group" tabindex="0" aria-label="Table">'


class _Tables(HTMLParser):
    """Finds where each outermost table starts and ends, as (line, column) pairs."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=False)
        self.depth = 0
        self.spans: list[tuple[tuple[int, int], tuple[int, int]]] = []
        self._start = (0, 0)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "table":
            if self.depth == 0:
                self._start = self.getpos()
            self.depth += 1

    def handle_endtag(self, tag: str) -> None:
        if tag == "table" and self.depth:
            self.depth -= 1
            if self.depth == 0:
                self.spans.append((self._start, self.getpos()))


def frame_tables(html: str) -> str:
    """``html`` (sanitised HTML) with each outermost table in a frame of its own.

    Tables are found by parsing, so text that only looks like a tag (in an attribute's value,
    which older sanitisers leave unescaped) is never taken for one.
    """
    if "<table" not in html:
        return html
    finder = _Tables()
    finder.feed(html)
    finder.close()
    # The parser counts lines at "\n" only (not at the other breaks str.splitlines knows).
    starts = [0] + [index + 1 for index, char in enumerate(html) if char == "\n"]

    def offset(position: tuple[int, int]) -> int:
        return starts[position[0] - 1] + position[1]

    out: list[str] = []
    last = 0
    for start, end in finder.spans:
        begin, close = offset(start), html.index(">", offset(end)) + 1
        out += [html[last:begin], FRAME, html[begin:close], "</div>"]
        last = close
    out.append(html[last:])
    return "".join(out)
