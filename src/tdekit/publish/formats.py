"""The formats a document is rendered in, as a registry: one :class:`Format` each.

A document is what ``tde render`` makes (``plan`` today; a report or workshop cards are further
documents) and its template for a format is ``render/<document>.<template suffix>.j2``. A
format names that suffix, whether the template's output is HTML-escaped, the filters its
template uses besides the common ones, how the final checks read it (as Markdown or as HTML)
and how the checked text becomes what is printed or written (text, or bytes for a binary
format). :func:`render` builds the one Jinja environment with those filters, fills the template
with the view, and runs the gate and the redaction check (:func:`tdekit.publish.check_output`)
on every document before it leaves, so a new format gets them by registering. A new format is
one entry in :data:`FORMATS` and, per document, its template; a format that finishes another
format's text (a PDF printed from the HTML, say) names that format's suffix and is checked as it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from tdekit import i18n
from tdekit.errors import UsageError

if TYPE_CHECKING:
    import jinja2

    from tdekit.records.record import Project

Filters = dict[str, Callable[..., Any]]


def _as_text(text: str) -> str | bytes:
    return text


@dataclass(frozen=True)
class Format:
    """One output format of ``tde render``."""

    name: str
    #: The template's suffix: ``render/<document>.<suffix>.j2``, under the project's
    #: ``templates/`` or tdekit's own.
    suffix: str
    #: Whether ``{{ }}`` output is HTML-escaped (autoescape).
    html: bool
    #: The format's own filters, made when it is used (so that nothing heavy loads before).
    filters: Callable[[], Filters]
    #: How the final checks read the filled template: ``md`` or ``html`` (see publish.reading).
    reads_as: str
    #: The checked text to what is printed or written: the text itself, or bytes.
    finish: Callable[[str], str | bytes] = _as_text
    #: For a format whose finished bytes are a document of their own (a Word file): those
    #: bytes read again as HTML, which the final checks then read too (see :func:`render`).
    reread: Callable[[bytes], str] | None = None
    #: Whether what is written is binary: then ``-o FILE`` is needed (no terminal shows it).
    binary: bool = False


def _html_filters() -> Filters:
    from markupsafe import Markup

    from tdekit import markup
    from tdekit.frames import frame_tables

    def markdown(text: str, section: str | None = None, level: int = 3) -> Markup:
        html = markup.to_html(str(text), section=section, level=int(level))
        return Markup(frame_tables(html))  # nh3 has sanitised it; the frames are tdekit's own

    return {"markdown": markdown}


def _md_filters() -> Filters:
    from tdekit import markup

    def markdown(text: str, section: str | None = None, level: int = 3) -> str:
        return str(markup.to_markdown(str(text), section=section, level=int(level)))

    return {"markdown": markdown}


def _common_filters() -> Filters:
    """The filters of every format: Markdown-safe text, anchors, lists in words, CSS strings."""
    from markupsafe import Markup

    from tdekit import markup

    def css_string(text: str) -> Markup:
        return Markup(markup.css_string(text))  # escapes every sign that HTML or CSS could read

    from tdekit.publish.links import comment_href, form_href, mail_href

    return {
        "comment_href": comment_href,
        "form_href": form_href,
        "mail_href": mail_href,
        "md": markup.md_text,
        "anchor": markup.heading_anchor,
        "join_words": i18n.join_words,
        "css_string": css_string,
    }


def _pdf(html: str) -> bytes:
    from tdekit.publish import printing

    return printing.to_pdf(html)


def _pdf_read(data: bytes) -> str:
    from tdekit.publish import printing

    return printing.as_html(data)


def _docx(html: str) -> bytes:
    from tdekit.publish import wordfile

    return wordfile.to_docx(html)


def _docx_read(data: bytes) -> str:
    from tdekit.publish import wordfile

    return wordfile.as_html(data)


#: Every format, by the name ``--format`` takes, in the order help lists them. PDF and Word
#: are made from the checked HTML (the same document): printed by a browser, or rebuilt as a
#: Word file, which the final checks then read again.
FORMATS: dict[str, Format] = {
    "md": Format("md", "md", html=False, filters=_md_filters, reads_as="md"),
    "html": Format("html", "html", html=True, filters=_html_filters, reads_as="html"),
    "pdf": Format("pdf", "html", html=True, filters=_html_filters, reads_as="html", finish=_pdf, reread=_pdf_read, binary=True),
    "docx": Format(
        "docx", "html", html=True, filters=_html_filters, reads_as="html",
        finish=_docx, reread=_docx_read, binary=True,
    ),
}


def names() -> tuple[str, ...]:
    """The names of the registered formats, as ``--format`` takes them."""
    return tuple(FORMATS)


def get(fmt: str) -> Format:
    """The format named ``fmt``; UsageError for a name that is none."""
    found = FORMATS.get(fmt)
    if found is None:
        raise UsageError(f"unknown format '{fmt}'; choose one of: {', '.join(names())}")
    return found


def environment(project_root: Path | None, fmt: Format) -> jinja2.Environment:
    """The Jinja environment for ``fmt``: the one of :mod:`tdekit.templating`, with its filters."""
    from tdekit.templating import environment as base

    env = base(project_root, html=fmt.html)
    env.filters.update(_common_filters())
    env.filters.update(fmt.filters())
    return env


def template(document: str, spec: Format) -> str:
    """The template of ``document`` in ``spec``: ``render/plan.html.j2``."""
    return f"render/{document}.{spec.suffix}.j2"


def render(project: Project, view: Any, fmt: str, document: str = "plan") -> str | bytes:
    """``document`` (its view ``view``) in ``fmt``, checked: refused (exit 1) when unsafe or
    holding a withheld value. The template sees the view under the document's name.

    A template that breaks the sandbox's rules, names something the view lacks or otherwise
    fails raises UsageError: one line naming the template file and line (see
    :func:`tdekit.templating.explain`).
    """
    import dataclasses

    from tdekit.publish import check_output

    spec = get(fmt)
    if spec.binary and getattr(view, "versions", None):
        # A PDF or Word file travels alone: it cannot link to the HTML of the plan's translations.
        view = dataclasses.replace(view, versions=())
    text = fill(view, spec, environment(project.root, spec), document)
    check_output(project, text, spec.reads_as, document)  # refuses before anything is printed or written
    finished = spec.finish(text)
    if spec.reread is not None and isinstance(finished, bytes):
        check_output(project, spec.reread(finished), "html", document)  # the finished file, checked again
    return finished


def fill(view: Any, spec: Format, env: jinja2.Environment, document: str = "plan") -> str:
    """``document``'s template in ``spec`` filled with its view, not yet checked."""
    from tdekit import templating, text

    name = template(document, spec)
    try:
        filled = env.get_template(name).render({document: view})
        # Records with these are errors; text from elsewhere (a template, git) is not shown reordered.
        return text.without_reordering(filled)
    except Exception as err:
        message = templating.explain(err, env, name)
        if message is None:  # a shipped template failing on its own is a bug: let it show
            raise
        raise UsageError(message) from None
