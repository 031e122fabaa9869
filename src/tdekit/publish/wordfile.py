"""A Word file (.docx) of a checked HTML document, through python-docx (the ``docx`` extra).

The Word file is made from the HTML that passed the gate and the redaction check, read as
blocks by :mod:`.htmlblocks`: the same document, with the same consent applied. Headings are
Word's own Heading styles, so that the navigation pane lists the numbered sections; tables are
Word tables whose header row repeats on each page and whose rows are never split across two;
links to http, https and mailto addresses are Word hyperlinks. The finished file is then read
again (:func:`as_html`) and goes through the same checks: its text and every address it holds.
"""

from __future__ import annotations

import io
import re
import zipfile
from typing import TYPE_CHECKING, Any
from xml.etree import ElementTree

from tdekit.errors import MissingTool
from tdekit.publish.htmlblocks import Paragraph, Run, Table

if TYPE_CHECKING:
    from tdekit.publish.htmlblocks import Document

#: How to get python-docx, for the message when it is missing.
EXTRA = "pip install 'tdekit[docx]'"
_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_RELS = "{http://schemas.openxmlformats.org/package/2006/relationships}"
_HYPERLINK = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/hyperlink"
#: Parts a Word file made here never holds: macros, embedded programs and files, linked data.
_FIELD_LINK = re.compile(r'HYPERLINK\s+"([^"]*)"', re.IGNORECASE)
_FOREIGN = ("vbaproject", "activex", "embeddings/", "externallinks/", "attachedtemplate")


def _docx() -> Any:
    try:
        import docx
    except ImportError:
        raise MissingTool(
            f"cannot make a Word file: python-docx is not installed; install it with {EXTRA} "
            "(or render --format html and open that in Word)"
        ) from None
    return docx


def to_docx(html: str) -> bytes:
    """The Word file of ``html`` (already checked); MissingTool without python-docx."""
    from tdekit.publish import htmlblocks

    docx = _docx()
    read = htmlblocks.read(html)
    word = docx.Document()
    _properties(word, read)
    for block in read.blocks:
        _block(word, block)
    out = io.BytesIO()
    word.save(out)
    return out.getvalue()


def _properties(word: Any, read: Document) -> None:
    """Title and language from the HTML; none of python-docx's own defaults (its name as author)."""
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    props = word.core_properties
    props.title = read.title
    props.language = read.language
    props.author = props.last_modified_by = props.comments = props.subject = props.keywords = ""
    if read.language:  # spelling and hyphenation in the document's language
        run_props = word.styles["Normal"].element.get_or_add_rPr()
        lang = OxmlElement("w:lang")
        lang.set(qn("w:val"), read.language)
        run_props.append(lang)


def _block(container: Any, block: Paragraph | Table) -> None:
    if isinstance(block, Table):
        _table(container, block)
    else:
        _paragraph(container.add_paragraph(), block)


def _style(paragraph: Paragraph) -> str:
    if paragraph.style == "List Bullet" and paragraph.level:
        return f"List Bullet {min(paragraph.level + 1, 3)}"
    return paragraph.style


def _paragraph(target: Any, paragraph: Paragraph) -> None:
    from docx.shared import Pt

    target.style = _style(paragraph)
    if paragraph.style == "List Paragraph":  # a numbered item: its number is in its text
        target.paragraph_format.left_indent = Pt(18 * (paragraph.level + 1))
    for run in paragraph.runs:
        if run.link:
            _hyperlink(target, run)
        else:
            _run(target.add_run(), run)


def _run(target: Any, run: Run) -> None:
    parts = run.text.split("\n")
    for index, part in enumerate(parts):
        if index:
            target.add_break()
        if part:
            target.add_text(part)
    target.bold = run.bold or None
    target.italic = run.italic or None
    target.font.strike = run.strike or None
    if run.code:
        target.font.name = "Courier New"


def _hyperlink(paragraph: Any, run: Run) -> None:
    """``run`` as a Word hyperlink to its address (http, https or mailto only: see htmlblocks)."""
    from docx.opc.constants import RELATIONSHIP_TYPE
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn
    from docx.shared import RGBColor

    link = OxmlElement("w:hyperlink")
    link.set(qn("r:id"), paragraph.part.relate_to(run.link, RELATIONSHIP_TYPE.HYPERLINK, is_external=True))
    made = paragraph.add_run()
    _run(made, run)
    made.font.underline = True
    made.font.color.rgb = RGBColor(0x1F, 0x4E, 0x99)
    link.append(made._r)
    paragraph._p.append(link)


def _table(container: Any, table: Table) -> None:
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    if not table.columns:
        return
    made = container.add_table(rows=len(table.rows), cols=table.columns)
    made.style = "Table Grid"
    for row, source in zip(made.rows, table.rows, strict=True):
        properties = row._tr.get_or_add_trPr()
        for flag in ("w:cantSplit", *(("w:tblHeader",) if source.header else ())):
            element = OxmlElement(flag)
            element.set(qn("w:val"), "true")
            properties.append(element)
        for cell, content in zip(row.cells, source.cells, strict=False):
            for index, block in enumerate(content.blocks):
                if isinstance(block, Table):
                    _table(cell, block)
                else:
                    _paragraph(cell.paragraphs[0] if index == 0 else cell.add_paragraph(), block)


# --- the finished file, read again for the final checks ------------------------------------


def as_html(data: bytes) -> str:
    """The Word file ``data`` as the final checks read it: an HTML page with each paragraph of
    each part as a ``<p>``, each hyperlink as an ``<a href>``, any other address the file points
    to as a ``<link href>`` (which the gate refuses) and any part that may hold a program or
    another file as an ``<object>`` (refused too)."""
    from html import escape

    out = ["<!DOCTYPE html><html><head><title>docx</title></head><body>"]
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        for name in archive.namelist():
            if any(mark in name.lower() for mark in _FOREIGN):
                out.append(f'<object data="{escape(name)}"></object>')
            if not name.endswith((".xml", ".rels")):
                continue
            root = ElementTree.fromstring(archive.read(name))
            if name.endswith(".rels"):
                out.extend(_addresses(root))
            else:
                out.extend(f"<p>{escape(text)}</p>" for text in _texts(root))
                out.extend(f'<p><a href="{escape(target)}">field</a></p>' for target in _field_links(root))
    out.append("</body></html>")
    return "\n".join(out)


def _addresses(root: ElementTree.Element) -> list[str]:
    from html import escape

    found = []
    for relationship in root.iter(f"{_RELS}Relationship"):
        if relationship.get("TargetMode") != "External":
            continue
        target = escape(relationship.get("Target", ""))
        if relationship.get("Type") == _HYPERLINK:
            found.append(f'<p><a href="{target}">link</a></p>')
        else:
            found.append(f'<link href="{target}">')
    return found


def _field_links(root: ElementTree.Element) -> list[str]:
    """The addresses of HYPERLINK fields (Word's other way of making a link)."""
    codes = [node.text or "" for node in root.iter(f"{_W}instrText")]
    codes += [node.get(f"{_W}instr", "") for node in root.iter(f"{_W}fldSimple")]
    return [match.group(1) for code in codes for match in _FIELD_LINK.finditer(code)]


def _texts(root: ElementTree.Element) -> list[str]:
    """The text of each paragraph of a part (runs joined as Word shows them), and of every other
    element that holds text outside paragraphs (the document's properties, field codes)."""
    texts = []
    inside: set[int] = set()
    for paragraph in root.iter(f"{_W}p"):
        texts.append("".join(node.text or "" for node in paragraph.iter() if node.tag in (f"{_W}t", f"{_W}instrText")))
        inside.update(id(node) for node in paragraph.iter())
    texts.extend(node.text for node in root.iter() if node.text and node.text.strip() and id(node) not in inside)
    return [text for text in texts if text.strip()]
