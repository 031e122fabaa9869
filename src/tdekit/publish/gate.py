"""The gate: a finished document holds nothing that runs, loads or sends anything.

It reads the document as the reader's software would (:mod:`.reading`) and holds what it finds
to an allow-list. Elements: text, structure, tables, links and pictures stored in the page;
no script, frame, object, embed, form, base, ``<link>``, SVG or MathML, media, or meta refresh.
Attributes: no ``on*`` event handler; a link (``href``, ``cite``) goes only to http, https,
mailto, a ``#section`` of the page or, where the caller allows it, the HTML file of another
plan rendered beside it (``<plan-id>.html``: its translations); a picture's ``src`` is only a PNG, JPEG, GIF, WebP or
AVIF image stored in the page (``data:image/...``); nothing else that loads or sends
(``srcset``, ``action``, ``formaction``, ``xlink:href``, ``background``, ``poster``, ...).
Style (elements and attributes): no ``@import``, no ``url()`` but a stored picture, no
``expression()``, ``image-set()``, ``behavior`` or ``-moz-binding``. Comments may not hold
markup (browsers and parsers disagree where such a comment ends), and markup the parser could
not read as such is refused too.

The gate refuses; it never repairs. :func:`refuse_unsafe` raises :class:`UnsafeOutput` naming
the first problem and its line; nothing has been written or printed then.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from tdekit.errors import TdeError
from tdekit.publish.bodies import link_allowed
from tdekit.publish.reading import Reading, css_unescape
from tdekit.text import URL_IGNORED, plural

#: Elements a finished plan may hold.
ALLOWED = frozenset({
    "html", "head", "body", "meta", "title", "style", "main", "header", "footer", "nav",
    "section", "article", "aside", "div", "span", "p", "h1", "h2", "h3", "h4", "h5", "h6", "ul",
    "ol", "li", "dl", "dt", "dd", "blockquote", "pre", "code", "em", "strong", "b", "i", "u", "s",
    "del", "ins", "mark", "small", "sub", "sup", "a", "br", "hr", "wbr", "table", "caption",
    "colgroup", "col", "thead", "tbody", "tfoot", "tr", "th", "td", "img", "figure",
    "figcaption", "abbr", "cite", "q", "time", "kbd", "samp", "var", "details", "summary",
    "address",
})
#: Why some elements are refused, in words.
REFUSED = {
    "script": "it runs code",
    "noscript": "it is shown only where scripts are off",
    **dict.fromkeys(("iframe", "frame", "frameset", "object", "embed", "applet", "portal"), "it embeds another page or program"),
    **dict.fromkeys(("form", "input", "button", "select", "textarea", "option", "fieldset"), "it is part of a form, which sends what is typed"),
    "base": "it changes where every link of the page goes",
    "link": "it loads another file",
    **dict.fromkeys(("svg", "math"), "it can hold scripts and links of its own"),
    **dict.fromkeys(("audio", "video", "source", "track", "picture", "canvas"), "it loads or plays media"),
}
#: Attributes that load or send something, whatever their value.
LOADING = frozenset({
    "srcset", "action", "formaction", "xlink:href", "background", "poster", "ping", "lowsrc",
    "dynsrc", "data", "codebase", "manifest", "longdesc", "archive", "classid", "usemap",
    "icon", "xml:base", "imagesrcset", "profile",
})
#: Attributes that hold an address a reader can follow.
LINKS = frozenset({"href", "cite"})
#: ``http-equiv`` values a ``meta`` element may have.
META = frozenset({"content-security-policy", "content-type"})
_RASTER = re.compile(r"^data:image/(?:png|jpeg|jpg|gif|webp|avif|bmp)[;,]", re.IGNORECASE)
_CSS_PIECE = re.compile(r"""/\*.*?(?:\*/|\Z)|"(?:\\.|[^"\\])*"?|'(?:\\.|[^'\\])*'?|[^"'/]+|/""", re.DOTALL)
_CSS_CALL = re.compile(r"(url|image-set|-webkit-image-set|image|cross-fade|element|src|expression)\(\s*(\S?)")


class UnsafeOutput(TdeError):
    """The finished document holds something that runs, loads or sends: nothing is written."""


def problems(reading: Reading, siblings: frozenset[str] = frozenset()) -> Iterator[tuple[int, str]]:
    """Each problem of the document: its line and what it is, in document order within kinds.

    ``siblings``: the file names (``plan-es.html``) a link may go to besides the usual.
    """
    for element in reading.elements:
        yield from _element(element.line, element.tag, element.attrs, siblings)
    for line, css in reading.styles:
        for what in css_problems(css):
            yield line, f"a style sheet {what}"
    for line, comment in reading.comments:
        if "<" in comment or ">" in comment or comment.startswith(("-", ">")):
            yield line, "a comment holding markup, which browsers and parsers may end in different places"
    yield from reading.odd


def refuse_unsafe(
    reading: Reading, *, own_templates: bool = False, document: str = "plan", siblings: frozenset[str] = frozenset()
) -> None:
    """Raise :class:`UnsafeOutput` for the first problem of the document, if it has any.

    ``own_templates``: the project has templates of its own, which the message then mentions;
    ``document`` is what the message calls it ("plan", "cards"); ``siblings``, the files a link
    may go to besides the usual addresses (see :func:`problems`).
    """
    found = sorted(problems(reading, siblings), key=lambda problem: problem[0])
    if not found:
        return
    line, what = found[0]
    more = f" ({plural(len(found) - 1, 'more problem')} after it)" if len(found) > 1 else ""
    hint = "; the project's templates/render/ may have put it there" if own_templates else ""
    raise UnsafeOutput(
        f"refusing the rendered {document} ({reading.fmt}): output line {line} holds {what}{more}; "
        f"nothing was written{hint}"
    )


def _element(
    line: int, tag: str, attrs: tuple[tuple[str, str], ...], siblings: frozenset[str] = frozenset()
) -> Iterator[tuple[int, str]]:
    if tag not in ALLOWED:
        why = REFUSED.get(tag, "it is not among the elements a plan may use")
        yield line, f"a <{tag}> element: {why}"
    values = dict(attrs)
    if tag == "meta":
        equiv = values.get("http-equiv", "").strip().lower()
        if equiv and equiv not in META:
            yield line, f'a <meta http-equiv="{equiv}">: it can send the reader elsewhere or set cookies'
    for name, value in attrs:
        yield from (
            (line, f"<{tag} {name}=...>: {why}") for why in _attribute(tag, name.lower(), value, siblings)
        )


def _attribute(tag: str, name: str, value: str, siblings: frozenset[str] = frozenset()) -> Iterator[str]:
    address = URL_IGNORED.sub("", value)
    if name.startswith("on"):
        yield "an event handler, which runs code"
    elif name in LOADING or name.startswith(("xmlns", "xlink")):
        yield "it loads or sends to another address"
    elif name == "src":
        if tag != "img" or not _RASTER.match(address):
            yield "it loads a file; only a PNG, JPEG, GIF, WebP or AVIF picture stored in the page may be shown"
    elif name in LINKS:
        if not link_allowed(value) and not (name == "href" and value in siblings):
            yield "a link may only go to http, https, mailto or a #section of the page"
    elif name == "style":
        yield from css_problems(value)


def css_problems(css: str) -> Iterator[str]:
    """What in a style sheet (or a style attribute) loads something or runs code."""
    calls: list[str] = []  # the CSS outside strings and comments, escapes read
    strings: list[str] = []
    for piece in _CSS_PIECE.findall(css):
        if piece.startswith("/*"):
            calls.append(" ")
        elif piece.startswith(("'", '"')):
            strings.append(css_unescape(piece[1:].rstrip(piece[0]) if len(piece) > 1 else ""))
            calls.append(f"\x00{len(strings) - 1}\x00")
        else:
            calls.append(css_unescape(piece))
    plain = "".join(calls).lower()
    squeezed = re.sub(r"\s+", "", plain)
    if "@import" in squeezed:
        yield "imports another style sheet (@import)"
    for bad in ("-moz-binding", "behavior:", "javascript:", "vbscript:"):
        if bad in squeezed:
            yield f"uses {bad.rstrip(':')}"
    for match in _CSS_CALL.finditer(squeezed):
        if match.group(1) != "url":
            yield f"calls {match.group(1)}(), which can load a file or run code"
            continue
        argument = squeezed[match.end(2) - len(match.group(2)) :].split(")", 1)[0]
        if argument.startswith("\x00"):
            argument = strings[int(argument.strip("\x00") or 0)]
        if not _RASTER.match(URL_IGNORED.sub("", argument)):
            yield "loads a file with url(); only a picture stored in the page may be used"
