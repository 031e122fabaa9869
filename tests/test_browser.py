"""The rendered plan in a real browser: headless Chromium driven over the DevTools protocol.

The page must load with no console error, no request other than the file itself, fit a phone
screen without sideways scrolling, and print to Letter and to A4 paper, each a PDF of that
paper's size: sections flow on, so the example takes at most 8 pages, with no table row split
across two and no heading left at the foot of a page (both read from the structure tree of
the tagged PDF Chromium writes). Screenshots at phone and desktop widths and both
PDFs are kept in test-artifacts/ (not in git) for people to look at. The DevTools protocol is
spoken over a minimal WebSocket client (RFC 6455, client side only), so the test needs nothing
beyond the standard library and Chromium itself.
"""

from __future__ import annotations

import base64
import contextlib
import json
import os
import re
import shutil
import socket
import struct
import subprocess
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

import pytest

from conftest import Run

ARTIFACTS = Path(__file__).resolve().parent.parent / "test-artifacts"
TIMEOUT = 60.0
#: Paper the plan must print to: (width, height) in inches, as Page.printToPDF takes them.
PAPERS = {"letter": (8.5, 11.0), "a4": (8.27, 11.69)}


def chromium() -> str | None:
    for name in ("chromium", "chromium-browser", "google-chrome"):
        found = shutil.which(name)
        if found:
            return found
    return None


class WebSocket:
    """Just enough of a WebSocket client for the DevTools protocol: text frames, no extensions."""

    def __init__(self, url: str) -> None:
        parts = urlparse(url)
        self.sock = socket.create_connection((parts.hostname or "127.0.0.1", parts.port or 80), timeout=TIMEOUT)
        key = base64.b64encode(os.urandom(16)).decode()
        request = (
            f"GET {parts.path} HTTP/1.1\r\nHost: {parts.netloc}\r\nUpgrade: websocket\r\n"
            f"Connection: Upgrade\r\nSec-WebSocket-Key: {key}\r\nSec-WebSocket-Version: 13\r\n\r\n"
        )
        self.sock.sendall(request.encode())
        head = b""
        while b"\r\n\r\n" not in head:
            chunk = self.sock.recv(1)
            if not chunk:
                raise ConnectionError("the browser closed the connection during the handshake")
            head += chunk
        if not head.startswith(b"HTTP/1.1 101"):
            raise ConnectionError(head.decode(errors="replace"))

    def send(self, text: str) -> None:
        payload = text.encode()
        header = bytes([0x81])  # FIN, text frame
        length = len(payload)
        if length < 126:
            header += bytes([0x80 | length])
        elif length < 1 << 16:
            header += bytes([0x80 | 126]) + struct.pack("!H", length)
        else:
            header += bytes([0x80 | 127]) + struct.pack("!Q", length)
        mask = os.urandom(4)
        masked = bytes(b ^ mask[i % 4] for i, b in enumerate(payload))
        self.sock.sendall(header + mask + masked)

    def _exact(self, count: int) -> bytes:
        data = b""
        while len(data) < count:
            chunk = self.sock.recv(count - len(data))
            if not chunk:
                raise ConnectionError("the browser closed the connection")
            data += chunk
        return data

    def receive(self) -> str:
        message = b""
        while True:
            first, second = self._exact(2)
            opcode, length = first & 0x0F, second & 0x7F
            if length == 126:
                (length,) = struct.unpack("!H", self._exact(2))
            elif length == 127:
                (length,) = struct.unpack("!Q", self._exact(8))
            payload = self._exact(length)
            if opcode == 0x8:
                raise ConnectionError("the browser closed the WebSocket")
            if opcode == 0x9:  # ping: answer, then keep reading
                continue
            message += payload
            if first & 0x80:
                return message.decode()

    def close(self) -> None:
        with contextlib.suppress(OSError):
            self.sock.close()


class DevTools:
    """One page of a browser, driven by DevTools protocol commands; events are kept."""

    def __init__(self, ws: WebSocket) -> None:
        self.ws = ws
        self.next_id = 0
        self.events: list[dict[str, Any]] = []
        target = self.call("Target.createTarget", {"url": "about:blank"}, session=False)
        attached = self.call("Target.attachToTarget", {"targetId": target["targetId"], "flatten": True}, session=False)
        self.session: str = attached["sessionId"]

    def call(self, method: str, params: dict[str, Any] | None = None, *, session: bool = True) -> dict[str, Any]:
        self.next_id += 1
        message: dict[str, Any] = {"id": self.next_id, "method": method, "params": params or {}}
        if session:
            message["sessionId"] = self.session
        self.ws.send(json.dumps(message))
        deadline = time.monotonic() + TIMEOUT
        while time.monotonic() < deadline:
            reply = json.loads(self.ws.receive())
            if reply.get("id") == self.next_id:
                if "error" in reply:
                    raise RuntimeError(f"{method}: {reply['error']}")
                result: dict[str, Any] = reply.get("result", {})
                return result
            if "method" in reply:
                self.events.append(reply)
        raise TimeoutError(method)

    def wait_for(self, method: str) -> dict[str, Any]:
        for event in self.events:
            if event["method"] == method:
                return event
        deadline = time.monotonic() + TIMEOUT
        while time.monotonic() < deadline:
            reply = json.loads(self.ws.receive())
            if "method" in reply:
                self.events.append(reply)
                if reply["method"] == method:
                    return reply
        raise TimeoutError(method)

    def of(self, method: str) -> list[dict[str, Any]]:
        return [e["params"] for e in self.events if e["method"] == method]

    def evaluate(self, expression: str) -> Any:
        return self.call("Runtime.evaluate", {"expression": expression, "returnByValue": True})["result"]["value"]

    def screenshot(self, path: Path, width: int, *, full: bool, height: int = 900) -> None:
        self.call("Emulation.setDeviceMetricsOverride", {
            "width": width, "height": height, "deviceScaleFactor": 1, "mobile": width < 600,
        })
        if full:
            height = int(self.evaluate("Math.ceil(document.documentElement.scrollHeight)"))
            self.call("Emulation.setDeviceMetricsOverride", {
                "width": width, "height": height, "deviceScaleFactor": 1, "mobile": width < 600,
            })
        shot = self.call("Page.captureScreenshot", {"format": "png"})
        path.write_bytes(base64.b64decode(shot["data"]))


@contextlib.contextmanager
def browser(tmp_path: Path) -> Iterator[DevTools]:
    """A headless Chromium on a free local port, closed afterwards whatever happens."""
    binary = chromium()
    assert binary is not None
    profile = tmp_path / "profile"
    profile.mkdir()
    log = (tmp_path / "chromium.log").open("wb")
    process = subprocess.Popen(
        [
            binary, "--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
            "--disable-background-networking", "--disable-component-update", "--disable-sync",
            "--disable-extensions", "--disable-default-apps", "--no-first-run",
            "--no-default-browser-check", "--hide-scrollbars", "--mute-audio",
            f"--user-data-dir={profile}", "--remote-debugging-address=127.0.0.1",
            "--remote-debugging-port=0", "about:blank",
        ],
        stdout=subprocess.DEVNULL, stderr=log, stdin=subprocess.DEVNULL,
    )
    ws = None
    try:
        port_file = profile / "DevToolsActivePort"
        deadline = time.monotonic() + TIMEOUT
        while not (port_file.is_file() and len(port_file.read_text().splitlines()) >= 2):
            if process.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"chromium did not start; see {log.name}")
            time.sleep(0.05)
        port, path = port_file.read_text().splitlines()[:2]
        ws = WebSocket(f"ws://127.0.0.1:{port}{path}")
        yield DevTools(ws)
    finally:
        if ws is not None:
            with contextlib.suppress(Exception):
                ws.send(json.dumps({"id": 10**6, "method": "Browser.close"}))
            ws.close()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=10)
        log.close()


def pdf_pages(data: bytes) -> int:
    """The number of page objects in a PDF."""
    return len(re.findall(rb"/Type\s*/Page(?![a-zA-Z])", data))


def pdf_page_sizes(data: bytes) -> set[tuple[int, int]]:
    """The distinct page sizes of a PDF, in whole points (1/72 inch), from each /MediaBox."""
    number = rb"(-?[0-9.]+)"
    boxes = re.findall(rb"/MediaBox\s*\[\s*" + rb"\s+".join([number] * 4) + rb"\s*\]", data)
    return {(round(float(x1) - float(x0)), round(float(y1) - float(y0))) for x0, y0, x1, y1 in boxes}


@dataclass
class Tagged:
    """An element of a tagged PDF's structure tree: its role (H2, TR, TH, P...), the pages its
    content is on (1-based), its attributes' text and its children, in reading order."""

    role: str
    pages: list[int]
    attributes: bytes
    kids: list[Tagged]

    def all_pages(self) -> list[int]:
        return sorted({*self.pages, *(page for kid in self.kids for page in kid.all_pages())})

    def walk(self) -> Iterator[Tagged]:
        yield self
        for kid in self.kids:
            yield from kid.walk()


def pdf_structure(data: bytes) -> Tagged:
    """The structure tree of a tagged PDF as Chromium writes it (its dictionaries uncompressed)."""
    objects = {int(m[1]): m[2] for m in re.finditer(rb"(?m)^(\d+) 0 obj\s*(.*?)\bendobj", data, re.S)}

    def refs(text: bytes) -> list[int]:
        return [int(n) for n in re.findall(rb"(\d+) 0 R", text)]

    def leaves(number: int) -> list[int]:  # the pages under a node of the page tree, in order
        body = objects[number]
        if re.search(rb"/Type\s*/Page\b", body):
            return [number]
        kids = re.search(rb"/Kids\s*\[(.*?)\]", body, re.S)
        return [leaf for kid in refs(kids[1] if kids else b"") for leaf in leaves(kid)]

    root = next(n for n, body in objects.items() if re.search(rb"/Type\s*/Pages\b", body) and b"/Parent" not in body)
    page_number = {page: index for index, page in enumerate(leaves(root), 1)}

    def element(number: int) -> Tagged:
        body = objects[number]
        pages = [page_number[n] for n in refs(b" ".join(re.findall(rb"/Pg \d+ 0 R", body)))]
        kids_text = re.search(rb"/K\s*(\[.*\]|\d+ 0 R)", re.sub(rb"/(?:P|Pg) \d+ 0 R", b"", body), re.S)
        kids = [n for n in refs(kids_text[1] if kids_text else b"") if b"/StructElem" in objects.get(n, b"")]
        role = re.search(rb"/S\s*/(\w+)", body)
        return Tagged(role[1].decode() if role else "", pages, body, [element(kid) for kid in kids])

    tree = next(n for n, body in objects.items() if re.search(rb"/Type\s*/StructTreeRoot\b", body))
    top = re.search(rb"/K\s*(\[.*?\]|\d+ 0 R)", objects[tree], re.S)
    return Tagged("Root", [], b"", [element(n) for n in refs(top[1] if top else b"")])


def split_rows(tree: Tagged) -> list[list[int]]:
    """Pages of each table row printed across more than one page; a row of column headers
    repeated at the top of each page (thead) is no split."""
    return [
        row.all_pages() for row in tree.walk()
        if row.role == "TR" and len(row.all_pages()) > 1
        and not all(cell.role == "TH" and b"/Scope /Column" in cell.attributes for cell in row.kids)
    ]


def stranded_headings(tree: Tagged) -> list[tuple[str, int]]:
    """(role, page) of each heading whose next sibling begins on a later page than it ends."""
    found = []
    for parent in tree.walk():
        for index, kid in enumerate(parent.kids):
            if kid.role not in ("H1", "H2", "H3", "H4") or not kid.all_pages():
                continue
            after = [sibling for sibling in parent.kids[index + 1:] if sibling.all_pages()]
            if after and after[0].all_pages()[0] > kid.all_pages()[-1]:
                found.append((kid.role, kid.all_pages()[-1]))
    return found


@pytest.mark.browser
def test_plan_in_a_real_browser(tde: Callable[..., Run], example: Path, tmp_path: Path) -> None:
    """The example plan loads with no console error or request, fits a phone, and prints sanely."""
    if chromium() is None:
        pytest.skip("no Chromium found (chromium or chromium-browser on PATH); run scripts/ensure-chromium")
    page_file = tmp_path / "plan.html"
    result = tde("render", "plan", "--format", "html", "-o", str(page_file), cwd=example)
    assert result.exit_code == 0, result
    url = page_file.as_uri()
    ARTIFACTS.mkdir(exist_ok=True)

    with browser(tmp_path) as page:
        for domain in ("Page", "Runtime", "Log", "Network"):
            page.call(f"{domain}.enable")
        page.call("Page.navigate", {"url": url})
        page.wait_for("Page.loadEventFired")
        assert page.evaluate("document.title").startswith("Draft plan: monthly eviction filings")
        assert page.evaluate("document.scripts.length") == 0
        assert page.evaluate("document.querySelectorAll('img, iframe, object, embed, link').length") == 0
        sections = page.evaluate("Array.from(document.querySelectorAll('h2[id]'), h => h.id)")
        assert sections[:3] == ["s1", "s2", "s3"]

        page.screenshot(ARTIFACTS / "plan-phone.png", 390, full=True)
        assert page.evaluate("document.documentElement.scrollWidth") <= 390, "the page scrolls sideways on a phone"
        page.screenshot(ARTIFACTS / "plan-desktop.png", 1280, full=True)
        page.screenshot(ARTIFACTS / "plan-desktop-top.png", 1280, full=False, height=1000)
        width = page.evaluate("document.querySelector('main').getBoundingClientRect().width")
        assert 600 <= width <= 760, f"the text column is {width}px wide"

        pdfs: dict[str, bytes] = {}
        for paper, (inches_wide, inches_high) in PAPERS.items():
            printed = page.call("Page.printToPDF", {
                "preferCSSPageSize": True, "paperWidth": inches_wide, "paperHeight": inches_high,
                "generateTaggedPDF": True,  # its structure tree tells which page each part is on
            })
            pdfs[paper] = base64.b64decode(printed["data"])
            (ARTIFACTS / f"plan-{paper}.pdf").write_bytes(pdfs[paper])

        requests = [p["request"]["url"] for p in page.of("Network.requestWillBeSent")]
        errors = [p["entry"] for p in page.of("Log.entryAdded") if p["entry"]["level"] == "error"]
        console = [p for p in page.of("Runtime.consoleAPICalled") if p["type"] in ("error", "assert")]
        exceptions = page.of("Runtime.exceptionThrown")

    assert [r for r in requests if r != url] == []
    assert errors == []
    assert console == []
    assert exceptions == []
    for paper, pdf in pdfs.items():
        inches_wide, inches_high = PAPERS[paper]
        assert pdf.startswith(b"%PDF"), paper
        # Sections flow on from page to page: the example fits on 8 pages of either paper.
        assert 2 <= pdf_pages(pdf) <= 8, (paper, pdf_pages(pdf))
        tree = pdf_structure(pdf)
        assert sum(1 for e in tree.walk() if e.role == "TR") >= 30, paper  # the rows are tagged
        assert split_rows(tree) == [], paper
        assert stranded_headings(tree) == [], paper
        sizes = pdf_page_sizes(pdf)
        assert len(sizes) == 1, (paper, sizes)
        width, height = sizes.pop()
        assert abs(width - inches_wide * 72) <= 2 and abs(height - inches_high * 72) <= 2, (paper, width, height)
