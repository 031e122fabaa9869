"""``tde select`` changes exactly one line per touched file, whatever the files look like.

Use case files are generated with comments (whole-line and trailing, some mentioning the
status), every quoting style, any key order, flow and block lists and maps, blank lines, a
BOM or not, CRLF or LF, and a body that itself contains ``status:`` lines.
"""

from __future__ import annotations

import tempfile
from collections.abc import Callable
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import Run

SETTINGS = """\
name: Generated
organization: Test
focus_area: Selecting
scoring:
  scale: [1, 5]
  criteria:
    capacity: {weight: 0.5}
    interest: {weight: 0.5}
"""

WORDS = ("bus", "stop", "Café", "naïve", "river", "data", "rent", "Ünion", "map", "Year")
word = st.sampled_from(WORDS)
plain_text = st.lists(word, min_size=1, max_size=4).map(" ".join)
comment_text = st.text(
    alphabet=st.characters(blacklist_categories=("Cc", "Cs", "Zl", "Zp"), blacklist_characters="\ufeff"),
    max_size=20,
) | st.sampled_from(["status: selected", "status: shortlisted", "was selected"])


@st.composite
def quoted(draw: st.DrawFn, text: str) -> str:
    style = draw(st.sampled_from(["plain", "single", "double"]))
    if style == "single":
        return "'" + text.replace("'", "''") + "'"
    if style == "double":
        return '"' + text + '"'
    return text


@st.composite
def text_list(draw: st.DrawFn, key: str) -> list[str]:
    items = draw(st.lists(plain_text, min_size=0, max_size=3))
    if not items or draw(st.booleans()):
        return [f"{key}: [{', '.join(items)}]"]
    return [f"{key}:"] + [f"  - {draw(quoted(item))}" for item in items]


@st.composite
def scores(draw: st.DrawFn) -> list[str]:
    values = {
        name: draw(st.integers(1, 5))
        for name in ("capacity", "interest")
        if draw(st.booleans())
    }
    if draw(st.booleans()):
        return ["scores: {" + ", ".join(f"{k}: {v}" for k, v in values.items()) + "}"]
    return ["scores:"] + [f"  {k}: {v}" for k, v in values.items()] if values else ["scores: {}"]


@st.composite
def datasets(draw: st.DrawFn) -> list[str]:
    name = draw(plain_text)
    status = draw(st.sampled_from(["published", "unpublished", "missing"]))
    if draw(st.booleans()):
        return [f"datasets: [{{name: {name}, status: {status}}}]"]
    return ["datasets:", f"  - name: {draw(quoted(name))}", f"    status: {status}"]


@st.composite
def usecase_file(draw: st.DrawFn, record_id: str, status: str) -> tuple[bytes, str]:
    """The bytes of a valid use case file with ``status``, and its newline."""
    gap = draw(st.sampled_from([" ", "  ", "   "]))
    status_line = f"status:{gap}{draw(quoted(status))}"
    if draw(st.booleans()):
        status_line += f"  # {draw(comment_text)}"
    fields = [
        [f"id: {draw(quoted(record_id))}"],
        [f"title: {draw(quoted(draw(plain_text)))}"],
        [status_line],
        draw(text_list("tags")),
        draw(text_list("partners")),
        draw(scores()),
        draw(datasets()),
        ["created: 2026-03-14"],
    ]
    chosen = [f for i, f in enumerate(fields) if i < 3 or draw(st.booleans())]
    order = draw(st.permutations(chosen))
    lines: list[str] = []
    for field in order:
        if draw(st.integers(0, 3)) == 0:
            lines.append(draw(st.sampled_from(["", "  ", "    "])) + "# " + draw(comment_text))
        if draw(st.integers(0, 5)) == 0:
            lines.append("")
        block = list(field)
        if not block[0].startswith("status:") and draw(st.integers(0, 3)) == 0:
            block[0] += "  # " + draw(comment_text)
        lines.extend(block)
    body = draw(st.sampled_from([
        "", "Notes.\n", "status: selected\n\nA body that mentions status: shortlisted.\n",
        "---\nA second fence in the body.\n",
    ]))
    newline = draw(st.sampled_from(["\n", "\r\n"]))
    text = "---\n" + "\n".join(lines) + "\n---\n" + body
    data = text.replace("\n", newline).encode("utf-8")
    if draw(st.booleans()):
        data = b"\xef\xbb\xbf" + data
    return data, newline


def changed_lines(before: bytes, after: bytes) -> list[tuple[bytes, bytes]]:
    old, new = before.split(b"\n"), after.split(b"\n")
    assert len(old) == len(new)
    return [(a, b) for a, b in zip(old, new, strict=True) if a != b]


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    target=st.sampled_from(["candidate", "shortlisted", "parked"]).flatmap(
        lambda s: usecase_file("bus-arrivals", s).map(lambda f: (s, f))
    ),
    previous=usecase_file("stop-shelters", "selected"),
    bystander=usecase_file("fare-data", "shortlisted"),
)
def test_select_changes_exactly_the_status_lines(
    target: tuple[str, tuple[bytes, str]],
    previous: tuple[bytes, str],
    bystander: tuple[bytes, str],
    tde: Callable[..., Run],
) -> None:
    """Only the status line differs, in the selected file and in the previously selected one."""
    old_status, (target_bytes, _) = target
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder)
        (root / "tde.yaml").write_text(SETTINGS, encoding="utf-8")
        (root / "usecases").mkdir()
        files = {
            "bus-arrivals": target_bytes,
            "stop-shelters": previous[0],
            "fare-data": bystander[0],
        }
        for name, data in files.items():
            (root / "usecases" / f"{name}.md").write_bytes(data)
        check = tde("--project", str(root), "validate")
        assert check.exit_code == 0, (check, files)

        run = tde("--project", str(root), "select", "bus-arrivals")
        assert run.exit_code == 0, (run, files)
        assert run.stdout == "selected bus-arrivals; stop-shelters is back to shortlisted.\n"
        after = {name: (root / "usecases" / f"{name}.md").read_bytes() for name in files}

    assert after["fare-data"] == files["fare-data"]
    for name, old, new in (
        ("bus-arrivals", old_status, "selected"),
        ("stop-shelters", "selected", "shortlisted"),
    ):
        [(line_before, line_after)] = changed_lines(files[name], after[name])
        assert line_before.lstrip(b"\xef\xbb\xbf").startswith(b"status:")
        head, _, tail = line_before.partition(old.encode())
        assert line_after == head + new.encode() + tail
