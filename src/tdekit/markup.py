"""Record bodies and front-matter text made safe for a circulated plan, as HTML or as Markdown.

Anything a resident or a partner typed stays text. A body is parsed alone by markdown-it and
its tokens cleaned by :mod:`tdekit.publish.bodies`: comments removed (teams use them for notes
to themselves), raw HTML turned into the text it was typed as, images into links to them or
their alt text (a remote image in a circulated page tells its owner who opened it), links to
anything but http, https, mailto or a ``#section`` into their text. For HTML the tokens are
rendered and then cleaned by nh3 with a short allow-list, so a mistake in one layer is caught
by the other. For Markdown (pasted into an issue or a wiki) they are written back by
:mod:`tdekit.publish.mdwrite`, every block closed and every link inline, so that a body stands
on its own. No path prints a body as it was typed.

Headings inside a body are moved below the section that holds them and numbered after it
(``1.1``, ``1.2``) so that a reader can cite them.
"""

from __future__ import annotations

import re

from tdekit.publish.bodies import SAFE_SCHEMES as SAFE_SCHEMES  # re-exported
from tdekit.publish.bodies import heading_anchor as heading_anchor  # re-exported

_TAGS = {
    "p", "h2", "h3", "h4", "h5", "h6", "ul", "ol", "li", "blockquote", "pre", "code", "em",
    "strong", "s", "del", "a", "br", "hr", "table", "thead", "tbody", "tr", "th", "td", "span",
}
_ALIGN = {"text-align:left", "text-align:center", "text-align:right"}


def to_html(text: str, *, section: str | None = None, level: int = 3) -> str:
    """A body as safe HTML; its top headings become ``level`` and are numbered ``section.N``."""
    import nh3

    from tdekit.publish import bodies

    md = bodies.parser()
    tokens = bodies.clean(text, section=section, level=level, fmt="html")
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
    from tdekit.publish.bodies import link_allowed

    if attribute == "href" and not link_allowed(value):
        return None
    return value


def to_markdown(text: str, *, section: str | None = None, level: int = 3) -> str:
    """A body as Markdown that is safe to paste and stands on its own, headings moved and numbered."""
    from tdekit.publish import bodies, mdwrite

    return mdwrite.write(bodies.clean(text, section=section, level=level, fmt="md"))


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




def css_string(value: object) -> str:
    """``value`` as a quoted CSS string whose every sign but letters, digits and spaces is escaped.

    The result holds no quote, ``<``, ``>`` or ``&``, so it is safe inside a ``<style>`` element
    and reads the same in CSS as it was typed.
    """
    text = " ".join(str(value).split())
    return '"' + "".join(c if c.isalnum() or c == " " else f"\\{ord(c):x} " for c in text) + '"'
