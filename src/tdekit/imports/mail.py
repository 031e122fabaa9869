"""E-mails read for ``tde feedback import``: ``.eml`` files, a folder of them, or an mbox.

Standard library only (:mod:`email` with its default policy, :mod:`mailbox`). Of each message
what feedback needs: the sender's display name and address, the date, the subject, and the
text: the plain-text part, else the text of the HTML part (scripts and styles dropped), with
quoted replies (``On ... wrote:``, ``-----Original Message-----``, Outlook's ``From:``/``Sent:``
block, ``>`` lines) and the signature (after ``-- ``) cut. mbox's ``>From `` quoting is undone.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from email.message import EmailMessage
from html.parser import HTMLParser
from pathlib import Path

from tdekit.errors import UsageError

__all__ = ["Mail", "read_mail"]

#: Where a quoted reply starts (the rest of the message is cut).
_QUOTE_START = re.compile(
    r"^(?:On\b.{0,200}\bwrote:\s*$|-{2,}\s*Original Message\s*-{2,}|_{10,}\s*$|"
    r"(?:From|De|Von|Da):\s.*\n(?:.*\n){0,3}?(?:Sent|Date|Envoyé|Enviado|Gesendet|Inviato):\s)",
    re.MULTILINE | re.IGNORECASE,
)
#: Where a signature starts: the standard ``-- `` line, or a bare ``--``, or a phone's line.
_SIGNATURE = re.compile(r"^(?:--\s?|Sent from my .{1,40})$", re.MULTILINE)
_SECTION = re.compile(r"§\s*(\d+(?:\.\d+)*)")


@dataclass(frozen=True)
class Mail:
    """One message: where it is (``file.eml`` or ``mbox #3``), and what feedback takes of it."""

    where: str
    name: str
    address: str
    date: dt.date | None
    date_text: str
    subject: str
    section: str
    text: str


def read_mail(path: Path) -> list[Mail]:
    """The messages of ``path``: an ``.eml`` file, a folder of ``.eml`` files, or an mbox."""
    if path.is_dir():
        files = sorted(p for p in path.iterdir() if p.suffix.lower() == ".eml" and p.is_file())
        if not files:
            raise UsageError(f"{path}: the folder holds no .eml files")
        return [_one(_parse(f.read_bytes()), f.name) for f in files]
    try:
        data = path.read_bytes()
    except OSError as err:
        raise UsageError(f"{path}: cannot read it ({err.strerror or err})") from None
    if data.startswith(b"From "):
        return _mbox(path)
    return [_one(_parse(data), path.name)]


def _parse(data: bytes) -> EmailMessage:
    from email import message_from_bytes, policy

    message = message_from_bytes(data, policy=policy.default)
    assert isinstance(message, EmailMessage)  # the default policy makes EmailMessage
    return message


def _mbox(path: Path) -> list[Mail]:
    import mailbox

    box = mailbox.mbox(path, factory=None, create=False)
    found: list[Mail] = []
    try:
        for number, key in enumerate(box.iterkeys(), start=1):
            found.append(_one(_parse(box.get_bytes(key)), f"{path.name} message {number}"))
    finally:
        box.close()
    return found


def _one(message: EmailMessage, where: str) -> Mail:
    from email.utils import getaddresses, parsedate_to_datetime

    try:
        pairs = getaddresses([str(message.get("from", ""))])
    except (TypeError, ValueError):
        pairs = []
    name, address = pairs[0] if pairs else ("", "")
    raw_date = str(message.get("date", "") or "").strip()
    date: dt.date | None = None
    try:
        date = parsedate_to_datetime(raw_date).date() if raw_date else None
    except (TypeError, ValueError, IndexError):
        date = None
    subject = " ".join(str(message.get("subject", "") or "").split())
    found = _SECTION.search(subject)
    return Mail(where, " ".join(name.split()), address.strip(), date, raw_date, subject,
                f"§{found.group(1)}" if found else "", _text(message))


def _text(message: EmailMessage) -> str:
    """The message's own words: the plain part or the HTML part's text, replies and signature cut."""
    part = message.get_body(preferencelist=("plain", "html"))
    if part is None:
        return ""
    try:
        content = part.get_content()
    except (LookupError, UnicodeError, KeyError):  # an unknown or lying charset
        payload = part.get_payload(decode=True)
        content = payload.decode("utf-8", "replace") if isinstance(payload, bytes) else ""
    if not isinstance(content, str):
        return ""
    if part.get_content_subtype() == "html":
        content = html_text(content)
    return cut_quoted(content.replace("\r\n", "\n").replace("\r", "\n"))


def cut_quoted(text: str) -> str:
    """``text`` up to a quoted reply or a signature, without ``>`` lines, ``>From`` unquoted."""
    text = re.sub(r"^>From ", "From ", text, flags=re.MULTILINE)
    for pattern in (_QUOTE_START, _SIGNATURE):
        found = pattern.search(text)
        if found:
            text = text[: found.start()]
    kept = [line for line in text.split("\n") if not line.lstrip().startswith(">")]
    return "\n".join(kept).strip()


class _Text(HTMLParser):
    """The text of an HTML body: blocks on lines of their own, script and style left out."""

    BLOCKS = frozenset({"p", "div", "br", "li", "tr", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote", "pre"})

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.skipping = 0
        self.quoting = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in ("script", "style", "head", "title"):
            self.skipping += 1
        elif tag == "blockquote":  # a quoted reply
            self.quoting += 1
        if tag in self.BLOCKS:
            self.parts.append("\n")

    def handle_endtag(self, tag: str) -> None:
        if tag in ("script", "style", "head", "title"):
            self.skipping = max(0, self.skipping - 1)
        elif tag == "blockquote":
            self.quoting = max(0, self.quoting - 1)
        if tag in self.BLOCKS:
            self.parts.append("\n")

    def handle_data(self, data: str) -> None:
        if not self.skipping and not self.quoting:
            self.parts.append(data)


def html_text(html: str) -> str:
    """The words of ``html`` as a reader sees them, one paragraph a line."""
    parser = _Text()
    parser.feed(html)
    parser.close()
    lines = (" ".join(line.split()) for line in "".join(parser.parts).split("\n"))
    return re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip()
