"""The tables a team writes in a record's body get a frame of their own in the HTML plan, so
that a wide one scrolls alone, by keyboard too, instead of pushing the page sideways."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

from hypothesis import given
from hypothesis import strategies as st

from conftest import Run
from tdekit.frames import FRAME, frame_tables
from tdekit.markup import to_html

TABLE = "| Month | Filings |\n| --- | ---: |\n| May | 40 |\n"


def test_a_body_table_is_framed_in_the_rendered_plan(tde: Callable[..., Run], example: Path) -> None:
    """A table in the plan's body and one in a feedback item's each sit in a focusable frame."""
    plan = example / "plans" / "eviction-filings-release-plan.md"
    plan.write_text(plan.read_text(encoding="utf-8") + "\n## Counts\n\n" + TABLE, encoding="utf-8")
    feedback = example / "feedback" / "code-for-riverton-daily-feed.md"
    feedback.write_text(feedback.read_text(encoding="utf-8") + "\n" + TABLE, encoding="utf-8")
    result = tde("render", "plan", "--format", "html", cwd=example)
    assert result.exit_code == 0, result
    framed = re.findall(r'<div class="table-wrap"[^>]*>\s*<table[ >]', result.stdout)
    assert len(framed) == len(re.findall(r"<table[ >]", result.stdout))
    assert result.stdout.count(FRAME + "<table>") == 2


def test_text_that_looks_like_a_table_is_not_framed() -> None:
    """Only real tables are framed: not "<table>" in an attribute's value (which older nh3
    releases leave unescaped), nor escaped text, however the lines end."""
    html = (
        '<p><a href="https://a.example" title="<table> </table>">a</a> &lt;table&gt;</p>\r\x0c\n'
        "<table>\n<tr><td>1</td></tr>\n</table>\n<p>after</p>"
    )
    assert frame_tables(html) == html.replace("<table>\n", FRAME + "<table>\n").replace(
        "</table>\n<p>after", "</table></div>\n<p>after"
    )


cell = st.text(st.characters(codec="utf-8", exclude_characters="|\\\n\r`"), max_size=12)
block = st.one_of(
    st.builds(lambda a, b: f"| {a} | {b} |\n| --- | --- |\n| {b} | {a} |\n", cell, cell),
    st.builds(lambda text: f"{text}\n", cell),
    st.builds(lambda text: f'[link](https://a.example "{text}")\n', cell),
)


@given(st.lists(block, max_size=6))
def test_every_table_and_nothing_else_is_framed(blocks: list[str]) -> None:
    """Whatever a body holds, each table of its HTML gets one frame, and taking the frames
    away gives back the HTML as it was."""
    html = to_html("\n".join(blocks))
    framed = frame_tables(html)
    assert framed.count(FRAME) == html.count("<table>\n<thead>")  # a link title has no line break
    assert framed.replace(FRAME, "").replace("</table></div>", "</table>") == html
