"""The examples in README.md and docs/ run as written, and print what they show.

A block takes part when the line before it (blank lines aside) is a mark (CONTRIBUTING.md):

    <!-- test: SESSION -->              a shell block, run by bash with `set -e`; or a block of
                                        `$ command` lines, each followed by the output it must give
    <!-- test: SESSION edit PATH -->    a YAML block: each top-level field in it replaces that
                                        field, with the lines under it, in PATH (its front matter)
    <!-- test: SESSION body PATH -->    a Markdown block: the new body of the record at PATH
    <!-- test: SESSION file PATH -->    a block that is the whole of the file at PATH

The blocks of one session run in order, in one folder, with the installed ``tde`` on PATH and
real git; SESSIONS says how each session's folder starts. A block that runs ``tde`` without a
mark fails the test, so no example can drift unseen.
"""

from __future__ import annotations

import json
import os
import re
import shlex
import subprocess
import sys
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from conftest import REPO, git

DOCS = (REPO / "README.md", *sorted((REPO / "docs").glob("*.md")))
MARK = re.compile(r"<!-- test: (?P<session>[a-z][a-z0-9-]*)(?: (?P<action>edit|body|file) (?P<path>\S+))? -->")
FENCE = re.compile(r"(?P<fence>```+|~~~+)\s*(?P<lang>[\w+-]*)")
RUNS_TDE = re.compile(r"^(\$ )?tde( |$)", re.M)
BIN = Path(sys.executable).parent


@dataclass(frozen=True)
class Block:
    doc: Path
    line: int  # of the opening fence
    lang: str
    text: str
    mark: re.Match[str] | None

    @property
    def where(self) -> str:
        return f"{self.doc.relative_to(REPO)}:{self.line}"


def blocks(doc: Path) -> list[Block]:
    """The fenced blocks of ``doc``, each with the mark before it if there is one."""
    lines = doc.read_text(encoding="utf-8").splitlines()
    found, index = [], 0
    while index < len(lines):
        opening = FENCE.fullmatch(lines[index])
        if opening is None:
            index += 1
            continue
        end = index + 1
        while end < len(lines) and lines[end].strip() != opening["fence"]:
            end += 1
        before = index - 1
        while before >= 0 and not lines[before].strip():
            before -= 1
        mark = MARK.fullmatch(lines[before].strip()) if before >= 0 else None
        text = "".join(line + "\n" for line in lines[index + 1 : end])
        found.append(Block(doc, index + 1, opening["lang"], text, mark))
        index = end + 1
    return found


def marks(doc: Path) -> list[int]:
    """Line numbers of every mark in ``doc``."""
    text = doc.read_text(encoding="utf-8").splitlines()
    return [number for number, line in enumerate(text, 1) if MARK.search(line)]


def sessions() -> Iterator[tuple[Path, str]]:
    seen: set[tuple[Path, str]] = set()
    for doc in DOCS:
        for block in blocks(doc):
            if block.mark and (doc, block.mark["session"]) not in seen:
                seen.add((doc, block.mark["session"]))
                yield doc, block.mark["session"]


# --- how each session starts ----------------------------------------------------------------


def example_project(folder: Path, env: dict[str, str]) -> Path:
    """The shipped example, as ``make demo`` makes it: copied by tde init, then committed."""
    subprocess.run(["tde", "init", "example", "--example", "--no-git"], cwd=folder, env=env,
                   check=True, capture_output=True)
    root = folder / "example"
    git(root, "init", "--quiet")
    git(root, "add", "-A")
    git(root, "commit", "--quiet", "-m", "Example project")
    return root


def replace_once(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert text.count(old) == 1, f"{path}: {old!r} is not there exactly once"
    path.write_text(text.replace(old, new), encoding="utf-8")


def example_with_typos(folder: Path, env: dict[str, str]) -> Path:
    """The example with the three typos the README's validate example reports."""
    root = example_project(folder, env)
    replace_once(root / "interviews/eastside-tenant.md", "  - eviction-filings-by-neighborhood\n",
                 "  - eviction-filing\n")
    replace_once(root / "usecases/who-owns-my-building.md", "status: candidate", "status: candidat")
    replace_once(root / "usecases/who-owns-my-building.md", "    owner: Riverton County Assessor",
                 "    ownr: Riverton County Assessor")
    return root


SESSIONS: dict[str, Callable[[Path, dict[str, str]], Path]] = {
    "walkthrough": lambda folder, env: folder,  # an empty folder
    "example": example_project,
    "example-typos": example_with_typos,
    "record": example_project,
}


# --- running blocks ----------------------------------------------------------------------------


def environment(home: Path) -> dict[str, str]:
    """The user's shell: tde on PATH, a git identity, no colour, an 80-column terminal."""
    env = {k: v for k, v in os.environ.items() if k not in ("TDE_NO_CACHE", "TDE_DEBUG")}
    env.update(
        PATH=f"{BIN}{os.pathsep}{env.get('PATH', '')}", HOME=str(home), NO_COLOR="1",
        COLUMNS="80", PYTHONUNBUFFERED="1",  # stdout and stderr interleave as at a terminal
        SOURCE_DATE_EPOCH="1790000000",
    )
    return env


class Session:
    def __init__(self, name: str, folder: Path) -> None:
        home = folder / "home"
        home.mkdir()
        work = folder / "work"
        work.mkdir()
        self.env = environment(home)
        self.state = folder / "cwd"
        self.cwd = SESSIONS[name](work, self.env)

    def run(self, block: Block) -> None:
        assert block.mark is not None
        action = block.mark["action"]
        if action is None and block.text.startswith("$ "):
            self.compare_output(block)
        elif action is None:
            self.shell(block)
        else:
            path = self.cwd / block.mark["path"]
            {"edit": edit_fields, "body": replace_body, "file": write_file}[action](path, block.text)

    def shell(self, block: Block) -> None:
        script = f"set -euo pipefail\ncd {shlex.quote(str(self.cwd))}\n{block.text}\npwd > {shlex.quote(str(self.state))}\n"
        done = subprocess.run(["bash", "--noprofile", "--norc", "-c", script], env=self.env,
                              capture_output=True, text=True, check=False)
        assert done.returncode == 0, f"{block.where}: exit {done.returncode}\n{done.stdout}{done.stderr}"
        self.cwd = Path(self.state.read_text().strip())

    def compare_output(self, block: Block) -> None:
        for command, expected in commands_and_output(block.text):
            done = subprocess.run(["bash", "--noprofile", "--norc", "-c", command], cwd=self.cwd,
                                  env=self.env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                                  text=True, check=False)
            assert tidy(done.stdout) == tidy(expected), f"{block.where}: $ {command}"


def commands_and_output(text: str) -> list[tuple[str, str]]:
    """[(command, what it prints)] of a block of ``$ command`` lines and their output."""
    found: list[tuple[str, str]] = []
    for line in text.splitlines(keepends=True):
        if line.startswith("$ "):
            found.append((line[2:].strip(), ""))
        else:
            found[-1] = (found[-1][0], found[-1][1] + line)
    return found


def tidy(text: str) -> str:
    return "\n".join(line.rstrip() for line in text.strip("\n").splitlines())


def front_matter(path: Path) -> tuple[list[str], list[str], list[str]]:
    """(the opening lines, the fields' lines, the rest) of a record; of a YAML file, ([], all, [])."""
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    if not lines or lines[0].rstrip() != "---":
        return [], lines, []
    close = next(i for i in range(1, len(lines)) if lines[i].rstrip() == "---")
    return lines[:1], lines[1:close], lines[close:]


def fields(lines: list[str]) -> dict[str, tuple[int, int]]:
    """Each top-level field's lines: from its key to the last line indented or commented under it."""
    spans: dict[str, tuple[int, int]] = {}
    for index, line in enumerate(lines):
        key = re.match(r"([A-Za-z_][\w-]*):(\s|$)", line)
        if key is None:
            continue
        end = index + 1
        while end < len(lines) and lines[end].strip() and lines[end][0] in " \t#":
            end += 1
        assert key[1] not in spans, f"{key[1]} is there twice"
        spans[key[1]] = (index, end)
    return spans


def edit_fields(path: Path, text: str) -> None:
    """Replace each field of ``text`` in ``path``, as a user does in an editor."""
    head, lines, tail = front_matter(path)
    new = text.splitlines(keepends=True)
    for key, (start, end) in sorted(fields(new).items(), key=lambda item: -item[1][0]):
        spans = fields(lines)
        assert key in spans, f"{path.name} has no field {key} to replace"
        old_start, old_end = spans[key]
        lines[old_start:old_end] = new[start:end]
    path.write_text("".join(head + lines + tail), encoding="utf-8")


def replace_body(path: Path, text: str) -> None:
    head, lines, tail = front_matter(path)
    assert tail, f"{path.name} has no front matter"
    path.write_text("".join(head + lines + tail[:1]) + "\n" + text, encoding="utf-8")


def write_file(path: Path, text: str) -> None:
    path.write_text(text, encoding="utf-8")


# --- the tests -----------------------------------------------------------------------------------


def tde(cwd: Path, env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(["tde", *args], cwd=cwd, env=env, capture_output=True, text=True, check=False)


def test_every_block_that_runs_tde_is_marked() -> None:
    """Every block with a tde command has a mark, and every mark belongs to a block."""
    assert (BIN / "tde").exists(), "the tde script is not installed beside this Python"
    unmarked = [b.where for doc in DOCS for b in blocks(doc) if b.mark is None and RUNS_TDE.search(b.text)]
    assert unmarked == [], "blocks that run tde without a <!-- test: ... --> mark"
    for doc in DOCS:
        used = {b.line for b in blocks(doc) if b.mark}
        assert len(used) == len(marks(doc)), f"{doc.name}: a mark that is not right before a block"
        for block in blocks(doc):
            if block.mark:
                assert block.mark["session"] in SESSIONS, f"{block.where}: unknown session"


@pytest.mark.parametrize(("doc", "name"), list(sessions()),
                         ids=[f"{doc.name}:{name}" for doc, name in sessions()])
def test_the_examples_run_as_written(doc: Path, name: str, tmp_path: Path) -> None:
    """Each session's blocks run in order, and what they show they print."""
    session = Session(name, tmp_path)
    for block in blocks(doc):
        if block.mark and block.mark["session"] == name:
            session.run(block)
    check = AFTERWARDS.get(name)
    if check is not None:
        check(session)


def walkthrough_ends_in_a_plan_worth_circulating(session: Session) -> None:
    """No errors, a fully scored use case on more than one conversation, no empty section."""
    cwd, env = session.cwd, session.env
    assert cwd.name == "riverton-housing"
    assert tde(cwd, env, "validate").returncode == 0
    ranked = json.loads(tde(cwd, env, "score", "--format", "json").stdout)
    first = ranked[0]
    assert first["id"] == "eviction-filings-by-neighborhood"
    assert first["missing"] == []
    assert first["evidence"]["interviews"] >= 2 and len(first["evidence"]["stakeholder_types"]) >= 2
    plan = tde(cwd, env, "render", "plan")
    assert plan.returncode == 0, plan.stderr
    for placeholder in ("not set out yet", "To be drafted", "Our open data program", "TBD"):
        assert placeholder not in plan.stdout
    assert "| First version |" in plan.stdout  # the commit's date, in the revision history
    assert "Draft plan for comment" not in plan.stdout  # its subject only with render: {history: commits}
    assert (cwd / "plan.html").is_file()
    assert git(cwd, "status", "--porcelain") == "?? plan.html\n"


def the_record_shown_is_valid(session: Session) -> None:
    done = tde(session.cwd, session.env, "validate", "interviews/eastside-tenant.md")
    assert done.returncode == 0, done.stdout + done.stderr


AFTERWARDS: dict[str, Callable[[Session], None]] = {
    "walkthrough": walkthrough_ends_in_a_plan_worth_circulating,
    "record": the_record_shown_is_valid,
}


def test_the_pre_commit_snippet_runs_the_hook_defined_here(tmp_path: Path) -> None:
    """The README's .pre-commit-config.yaml parses and names the hook .pre-commit-hooks.yaml
    defines, with its entry and files; run as pre-commit runs it (no file names, the args the
    README suggests for a project in a subfolder), it passes a sound project and fails one
    with errors."""
    from ruamel.yaml import YAML

    snippets = [b for b in blocks(REPO / "README.md") if b.lang == "yaml" and "repos:" in b.text]
    assert len(snippets) == 1
    config = YAML(typ="safe").load(snippets[0].text)
    (repo,) = config["repos"]
    assert repo["repo"] == "local"
    (hook,) = repo["hooks"]
    defined = {h["id"]: h for h in YAML(typ="safe").load((REPO / ".pre-commit-hooks.yaml").read_text())}
    assert hook["id"] in defined
    for key in ("name", "entry", "pass_filenames", "files"):
        assert hook[key] == defined[hook["id"]][key], key
    assert hook["language"] == "system"  # the tde the team installed, found on PATH
    assert re.search(hook["files"], "interviews/eastside-tenant.md")
    assert re.search(hook["files"], "tde.yaml")
    assert not re.search(hook["files"], "plan.html")

    env = environment(tmp_path)
    sound = example_project(tmp_path, env)
    (tmp_path / "broken").mkdir()
    broken = example_with_typos(tmp_path / "broken", env)
    argv = shlex.split(hook["entry"])
    assert subprocess.run(argv, cwd=sound, env=env, capture_output=True, check=False).returncode == 0
    assert subprocess.run(argv, cwd=broken, env=env, capture_output=True, check=False).returncode == 1
    assert "args: [--project, path/to/project]" in (REPO / "README.md").read_text()
    in_subfolder = subprocess.run([*argv, "--project", "broken/example"], cwd=tmp_path, env=env,
                                  capture_output=True, text=True, check=False)
    assert in_subfolder.returncode == 1
    assert "3 errors in 2 files" in in_subfolder.stderr
