"""The corpus of broken and hostile files: each is found, located to its line, and nothing changes.

Every folder in ``tests/corpus/`` other than ``_base`` is one case: its files are laid over the
clean project in ``tests/corpus/_base`` (replacing files of the same name), ``tde validate`` runs
on the result, and its ``case.txt`` holds what must come out::

    # what the case shows (one sentence)
    args: --strict              (optional: extra arguments for tde validate)
    exit: 1
    path:line:col: severity: message [code]     (stdout, line for line)

To write the expectations again after a deliberate change of messages, run
``UPDATE_GOLDEN=1 .venv/bin/pytest tests/test_validate_corpus.py`` (the one variable of every
golden test) and review the diff before committing it. Hostile inputs that are large or binary are built by the table at the end
of this file rather than stored.
"""

from __future__ import annotations

import hashlib
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest

from conftest import UPDATE_GOLDEN, Run
from tdekit.fsio import LOCK_DIR

CORPUS = Path(__file__).resolve().parent / "corpus"
BASE = CORPUS / "_base"
CASES = sorted(p.name for p in CORPUS.iterdir() if p.is_dir() and p.name != "_base")
REGENERATE = UPDATE_GOLDEN


def tree_digest(root: Path) -> dict[str, str]:
    """Path -> hash of content and mode for everything under ``root`` (links by their target).

    tde's own folder ``.tde-cache/`` (its cache of what it read, ignored by git) is left out:
    it is the one place tde may write while it validates.
    """
    digest: dict[str, str] = {}
    for path in sorted(root.rglob("*")):
        rel = path.relative_to(root).as_posix()
        if rel.split("/", 1)[0] == LOCK_DIR:
            continue
        if path.is_symlink():
            digest[rel] = f"link:{path.readlink()}"
        elif path.is_file():
            content = hashlib.sha256(path.read_bytes()).hexdigest()
            digest[rel] = f"{path.stat().st_mode:o}:{content}"
        else:
            digest[rel] = "dir"
    return digest


def lay_out(tmp_path: Path, overlay: dict[str, bytes]) -> Path:
    """The base project copied to ``tmp_path`` with ``overlay`` (relative path -> bytes) on top."""
    root = tmp_path / "project"
    shutil.copytree(BASE, root)
    for rel, data in overlay.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
    return root


def run_validate(tde: Callable[..., Run], root: Path, *args: str) -> Run:
    """Run ``tde validate ARGS`` in ``root`` and check what every run must do, whatever the input."""
    before = tree_digest(root)
    result = tde("validate", *args, cwd=root)
    assert tree_digest(root) == before, "tde validate changed the project"
    assert "Traceback" not in result.stderr + result.stdout
    assert result.stderr.strip(), "tde validate must end with a summary on stderr"
    return result


def read_case(name: str) -> tuple[list[str], list[str], int | None, list[str]]:
    """(header lines, extra args, expected exit code, expected stdout lines) of a case."""
    lines = (CORPUS / name / "case.txt").read_text(encoding="utf-8").splitlines()
    header = [line for line in lines if line.startswith(("#", "args:"))]
    args = next((line.split(":", 1)[1].split() for line in lines if line.startswith("args:")), [])
    exit_lines = [line for line in lines if line.startswith("exit:")]
    expected_exit = int(exit_lines[0].split(":", 1)[1]) if exit_lines else None
    body = [line for line in lines if not line.startswith(("#", "args:", "exit:"))]
    return header, args, expected_exit, body


def case_files(name: str) -> dict[str, bytes]:
    folder = CORPUS / name
    return {
        path.relative_to(folder).as_posix(): path.read_bytes()
        for path in sorted(folder.rglob("*"))
        if path.is_file() and path.name != "case.txt"
    }


def test_base_project_is_clean(tde: Callable[..., Run], tmp_path: Path) -> None:
    """The project the cases are laid over validates with no problem at all."""
    root = lay_out(tmp_path, {})
    result = run_validate(tde, root, "--strict")
    assert (result.exit_code, result.stdout) == (0, "")
    assert result.stderr == "6 records checked: no problems\n"


def test_corpus_has_enough_cases() -> None:
    """The corpus covers every class of mistake with more than thirty stored cases."""
    prefixes = {name.split("-", 1)[0] for name in CASES}
    assert prefixes == {"framing", "yaml", "schema", "rules"}
    assert len(CASES) > 30


@pytest.mark.parametrize("name", CASES)
def test_corpus_case(name: str, tde: Callable[..., Run], tmp_path: Path) -> None:
    """Each stored case gives exactly its expected problem lines and exit code, changing nothing."""
    header, args, expected_exit, expected = read_case(name)
    root = lay_out(tmp_path, case_files(name))
    result = run_validate(tde, root, *args)
    got = result.stdout.splitlines()
    if REGENERATE:
        text = "\n".join([*header, f"exit: {result.exit_code}", *got]) + "\n"
        (CORPUS / name / "case.txt").write_text(text, encoding="utf-8")
        return
    assert expected_exit is not None, f"{name}/case.txt has no 'exit:' line"
    assert got == expected
    assert result.exit_code == expected_exit
    assert result.exit_code != 0 or "error:" not in result.stdout


# --- hostile and binary input, built here ----------------------------------------------------

FENCED = b"---\nid: %s\ntitle: Hostile\n%s---\n"


def _billion_laughs() -> bytes:
    lines = [b'a0: &a0 "lol"']
    for level in range(1, 10):
        refs = ", ".join(f"*a{level - 1}" for _ in range(10)).encode()
        lines.append(b"a%d: &a%d [%s]" % (level, level, refs))
    return b"---\nid: bomb\n" + b"\n".join(lines) + b"\n---\n"


def _deep_block(levels: int) -> bytes:
    body = b"".join(b"  " * i + b"k:\n" for i in range(levels))
    return b"---\nid: deep-block\n" + body + b"---\n"


HOSTILE: list[tuple[str, str, bytes, list[str]]] = [
    (
        "billion laughs: refused at the first anchor",
        "interviews/bomb.md",
        _billion_laughs(),
        ["interviews/bomb.md:3:5: error: YAML anchors (&a0) are not allowed in records; write the "
         "value out; if it starts with '&', quote it [yaml-anchor]"],
    ),
    (
        "1,000 levels of flow nesting: refused past the limit",
        "interviews/deep-flow.md",
        FENCED % (b"deep-flow", b"needs: " + b"[" * 1000 + b"]" * 1000 + b"\n"),
        ["interviews/deep-flow.md:4:19: error: the front matter nests deeper than 12 levels [too-deep]"],
    ),
    (
        "1,000 levels of block nesting: too large to read (it is about 1 MB)",
        "interviews/deep-block.md",
        _deep_block(1000),
        ["interviews/deep-block.md:2:1: error: the front matter is larger than 256 KiB "
         "[front-matter-too-large]"],
    ),
    (
        "60 levels of block nesting: refused past the limit",
        "interviews/deep-block.md",
        _deep_block(60),
        ["interviews/deep-block.md:15:25: error: the front matter nests deeper than 12 levels [too-deep]"],
    ),
    (
        "300 KB of front matter: refused unread",
        "interviews/big.md",
        FENCED % (b"big", b"".join(b"  - need number %06d\n" % i for i in range(15_000)).join(
            [b"needs:\n", b""])),
        ["interviews/big.md:2:1: error: the front matter is larger than 256 KiB [front-matter-too-large]"],
    ),
    (
        "UTF-16 with a byte-order mark",
        "interviews/utf16.md",
        (FENCED % (b"utf16", b"")).decode().encode("utf-16"),
        ["interviews/utf16.md:1:1: error: the file is UTF-16; save it as UTF-8 [encoding]"],
    ),
    (
        "UTF-16 without a byte-order mark",
        "interviews/utf16le.md",
        (FENCED % (b"utf16le", b"")).decode().encode("utf-16-le"),
        ["interviews/utf16le.md:1:2: error: the file has NUL bytes between its characters: it looks "
         "like UTF-16; save it as UTF-8 [encoding]"],
    ),
    (
        "Latin-1 bytes",
        "interviews/latin1.md",
        FENCED % (b"latin1", b"interviewee: Jos\xe9\n"),
        ["interviews/latin1.md:4:17: error: byte 0xe9 is not valid UTF-8; save the file as UTF-8 "
         "[encoding]"],
    ),
    (
        "a NUL byte inside a value",
        "interviews/nul.md",
        FENCED % (b"nul", b"interviewee: Jo\x00e\n"),
        ["interviews/nul.md:4:16: error: the file contains the control character NUL; remove it "
         "[control-character]"],
    ),
    (
        "an escape character (terminal control) in the body",
        "interviews/escape.md",
        FENCED % (b"escape", b"") + b"Body \x1b]0;owned\x07\n",
        ["interviews/escape.md:5:6: error: the file contains the control character U+001B; remove it "
         "[control-character]"],
    ),
    (
        "a line separator (U+2028) inside a value",
        "interviews/separator.md",
        FENCED % (b"separator", "interviewee: Jo\u2028e\n".encode()),
        ["interviews/separator.md:4:16: error: the file contains the control character U+2028; "
         "remove it [control-character]"],
    ),
    (
        "a binary file named .md",
        "personas/picture.md",
        b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR",
        ["personas/picture.md:1:1: error: byte 0x89 is not valid UTF-8 (this looks like a binary file, not text) "
         "[encoding]"],
    ),
]


@pytest.mark.parametrize(
    ("rel", "data", "expected"),
    [(rel, data, expected) for _, rel, data, expected in HOSTILE],
    ids=[about for about, *_ in HOSTILE],
)
def test_hostile_input_is_refused(
    rel: str, data: bytes, expected: list[str], tde: Callable[..., Run], tmp_path: Path
) -> None:
    """Hostile or undecodable files are refused with a located error, exit 1, and no change."""
    root = lay_out(tmp_path, {rel: data})
    result = run_validate(tde, root)
    assert result.stdout.splitlines() == expected
    assert result.exit_code == 1
