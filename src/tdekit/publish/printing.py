"""A PDF of a checked HTML document, printed by the system's Chromium (or Chrome) in headless mode.

The HTML has passed the gate and the redaction check (:mod:`tdekit.publish.formats`) before it
gets here; the browser only lays it out. Its print style sheet (``templates/render/plan.css.j2``)
numbers the pages, keeps headings with what follows and table rows whole; Chromium's own header
and footer (the date and a file address) are off, its outline (the PDF's bookmarks) follows
the numbered headings and the PDF is tagged, so its text can be selected, searched and read
aloud. The browser runs with a fresh profile in a temporary folder, every host name resolving
to nothing (and the page's own policy forbidding any request), and a time limit; the temporary
folder is removed afterwards. The finished PDF is read again (:func:`as_html`) for what the
final checks can see in its bytes: the address of every link, and any action that runs or opens
something. Why Chromium and not WeasyPrint: docs/pdf-and-word.md.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from pathlib import Path

from tdekit.errors import MissingTool, TdeError

#: The environment variable naming the browser to print with (a path or a command name).
BROWSER_VARIABLE = "TDE_BROWSER"
#: The commands looked for on PATH, in this order, when :data:`BROWSER_VARIABLE` is not set.
BROWSERS = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable", "chrome")
#: Where the browsers are installed off PATH (macOS applications), looked at after PATH.
INSTALLED = (
    "/Applications/Chromium.app/Contents/MacOS/Chromium",
    "/Applications/Google Chrome.app/Contents/MacOS/Google Chrome",
)
#: Seconds the browser may take to print before it is stopped.
TIMEOUT = 120
#: A link's address in a PDF: a literal string (escapes kept) or a hexadecimal one.
_URI = re.compile(rb"/URI\s*(\((?:\\.|[^\\)])*\)|<[0-9A-Fa-f\s]*>)", re.DOTALL)
#: What a PDF may hold that runs code, opens a file or program, sends a form or embeds a file.
_ACTIVE = re.compile(rb"/(JavaScript|JS|Launch|SubmitForm|ImportData|EmbeddedFile|RichMedia|GoToR|GoToE)\b")
_STREAM = re.compile(rb"\bstream\r?\n.*?\bendstream\b", re.DOTALL)
#: How to get a browser, for the message when there is none.
HOW_TO_GET_ONE = (
    "install Chromium (Debian and Ubuntu: apt install chromium; macOS: brew install --cask chromium) "
    f"or Google Chrome, or set {BROWSER_VARIABLE} to the path of one; "
    "or render --format html and print that from any browser"
)


class PrintFailed(TdeError):
    """The browser ran but gave no PDF: nothing is written."""


def find_browser() -> str | None:
    """The browser to print with: :data:`BROWSER_VARIABLE`'s, or the first of :data:`BROWSERS` on PATH."""
    named = os.environ.get(BROWSER_VARIABLE, "").strip()
    if named:
        return shutil.which(named)
    for name in BROWSERS:
        found = shutil.which(name)
        if found:
            return found
    return next((path for path in INSTALLED if os.access(path, os.X_OK)), None)


def need_browser() -> str:
    """The browser to print with, or :class:`MissingTool` saying how to get one."""
    found = find_browser()
    if found is not None:
        return found
    named = os.environ.get(BROWSER_VARIABLE, "").strip()
    if named:
        raise MissingTool(f"cannot make a PDF: {BROWSER_VARIABLE} names '{named}', which is not a program here; {HOW_TO_GET_ONE}")
    raise MissingTool(f"cannot make a PDF: no Chromium or Chrome found (looked for {', '.join(BROWSERS)}); {HOW_TO_GET_ONE}")


def command(browser: str, page: Path, pdf: Path, profile: Path) -> list[str]:
    """The browser's command line that prints ``page`` to ``pdf``."""
    flags = [
        "--headless", "--disable-gpu", "--disable-dev-shm-usage", "--no-first-run",
        "--no-default-browser-check", "--disable-background-networking", "--disable-component-update",
        "--disable-sync", "--disable-extensions", "--disable-default-apps", "--mute-audio",
        "--host-resolver-rules=MAP * ~NOTFOUND",  # no host name resolves: nothing can be fetched
        f"--user-data-dir={profile}",
        "--no-pdf-header-footer",  # the page numbers come from the print style sheet
        "--generate-pdf-document-outline",  # bookmarks from the headings
        f"--print-to-pdf={pdf}",
    ]
    if hasattr(os, "geteuid") and os.geteuid() == 0:
        flags.append("--no-sandbox")  # Chromium refuses to start as root with its sandbox on
    return [browser, *flags, page.as_uri()]


def to_pdf(html: str) -> bytes:
    """The PDF of ``html`` (already checked), printed by the browser; MissingTool or PrintFailed."""
    import tempfile

    browser = need_browser()
    with tempfile.TemporaryDirectory(prefix="tde-pdf-") as folder:
        work = Path(folder)
        page, pdf, profile = work / "plan.html", work / "plan.pdf", work / "profile"
        page.write_text(html, encoding="utf-8")
        profile.mkdir()
        try:
            done = subprocess.run(
                command(browser, page, pdf, profile), stdin=subprocess.DEVNULL,
                capture_output=True, timeout=TIMEOUT, check=False,
            )
        except subprocess.TimeoutExpired:
            raise PrintFailed(f"cannot make a PDF: {browser} did not finish within {TIMEOUT} seconds; nothing was written") from None
        except OSError as err:
            raise MissingTool(f"cannot make a PDF: {browser} does not run ({err.strerror}); {HOW_TO_GET_ONE}") from None
        data = pdf.read_bytes() if pdf.is_file() else b""
    if done.returncode != 0 or not data.startswith(b"%PDF"):
        said = _last_line(done.stderr) or _last_line(done.stdout)
        raise PrintFailed(
            f"cannot make a PDF: {browser} exited with {done.returncode} and wrote no PDF"
            + (f" ({said})" if said else "") + "; nothing was written"
        )
    return data


def _last_line(output: bytes) -> str:
    """The last line of the browser's output that says something (not its D-Bus complaints)."""
    lines = [line.strip() for line in output.decode("utf-8", "replace").splitlines()]
    useful = [line for line in lines if line and "dbus" not in line.lower() and "bytes written" not in line]
    return useful[-1][:200] if useful else ""


def as_html(data: bytes) -> str:
    """The links and actions of the PDF ``data`` as HTML for the final checks: each link as an
    ``<a href>`` (the gate allows http, https and mailto), each action that runs code, opens a
    file or sends a form as an ``<object>`` (which the gate refuses). Chromium writes these
    dictionaries uncompressed, outside the streams (which are skipped); the text itself is the
    checked HTML's."""
    from html import escape

    objects = _STREAM.sub(b"stream endstream", data)  # compressed bytes could spell anything
    found = ["<!DOCTYPE html><html><head><title>pdf</title></head><body>"]
    found += [f'<p><a href="{escape(_pdf_string(m.group(1)))}">link</a></p>' for m in _URI.finditer(objects)]
    found += [f'<object data="{m.group(1).decode()}"></object>' for m in _ACTIVE.finditer(objects)]
    return "\n".join([*found, "</body></html>"])


def _pdf_string(token: bytes) -> str:
    """A PDF string token (``(...)`` or ``<...>``) as text."""
    if token.startswith(b"<"):
        raw = bytes.fromhex(re.sub(rb"\s", b"", token[1:-1]).decode().ljust(2, "0"))
    else:
        escapes = {b"n": b"\n", b"r": b"\r", b"t": b"\t", b"b": b"\b", b"f": b"\f"}
        raw = re.sub(
            rb"\\([0-7]{1,3}|.)",
            lambda m: bytes([int(m[1], 8) & 0xFF]) if m[1][:1].isdigit() else escapes.get(m[1], m[1]),
            token[1:-1],
            flags=re.DOTALL,
        )
    return raw.decode("utf-16" if raw.startswith((b"\xfe\xff", b"\xff\xfe")) else "latin-1")
