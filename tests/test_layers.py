"""The layers of docs/architecture.md hold: imports go down, never round in a circle."""

from __future__ import annotations

import ast

import pytest

from conftest import REPO

SRC = REPO / "src"
MODULES = {
    ".".join(path.relative_to(SRC).with_suffix("").parts).removesuffix(".__init__"): path
    for path in sorted(SRC.rglob("*.py"))
}
#: What each layer may import from tdekit, besides its own modules (prefixes).
ALLOWED = {
    "tdekit.text": (),
    "tdekit.errors": (),
    "tdekit.problems": (),
    "tdekit.fsio": ("tdekit.errors",),
    "tdekit.workers": (),
    # The words of outputs in the reader's language: a foundation, below every output.
    "tdekit.i18n": ("tdekit.text",),
    # The one Jinja environment and its loader: the records layer renders a kind's template to
    # know its prompts (records/template_text.py); they read no records, only write YAML scalars.
    "tdekit.template_loader": ("tdekit.fsio",),
    "tdekit.templating": ("tdekit.template_loader", "tdekit.records.scalars", "tdekit.text", "tdekit.fsio",
                          "tdekit.i18n"),
    "tdekit.records": ("tdekit.records", "tdekit.errors", "tdekit.problems", "tdekit.text",
                       "tdekit.fsio", "tdekit.workers", "tdekit.templating", "tdekit.template_loader",
                       "tdekit.i18n", "tdekit"),
    "tdekit.scoring": ("tdekit.scoring", "tdekit.records", "tdekit.errors", "tdekit.text"),
    "tdekit.clock": ("tdekit.errors",),
    # The plan package: it reads records, rankings and the rules of validate, and writes with
    # the foundations; never the command line, output (it prints nothing) or the commands'
    # own modules (status, listing, selecting, scaffold). following.py reads Step 4 (milestones,
    # outcomes, updates) for validate, status and the report alike.
    "tdekit.publish": ("tdekit.publish", "tdekit.records", "tdekit.scoring", "tdekit.validate",
                       "tdekit.errors", "tdekit.problems", "tdekit.text", "tdekit.fsio", "tdekit.clock",
                       "tdekit.templating", "tdekit.template_loader", "tdekit.markup", "tdekit.labels",
                       "tdekit.frames", "tdekit.gitlog", "tdekit.finding.small", "tdekit.i18n",
                       "tdekit.following", "tdekit"),
}


def imports(name: str, *, lazy: bool) -> set[str]:
    """The tdekit modules ``name`` imports: at the top only, or also inside its functions."""
    found: set[str] = set()

    def visit(node: ast.AST, inside: bool) -> None:
        for child in ast.iter_child_nodes(node):
            if isinstance(child, ast.If) and "TYPE_CHECKING" in ast.unparse(child.test):
                continue  # for the type checker only
            deeper = inside or isinstance(child, (ast.FunctionDef, ast.AsyncFunctionDef))
            if isinstance(child, ast.ImportFrom) and child.module and (lazy or not deeper):
                for alias in child.names:
                    full = f"{child.module}.{alias.name}"
                    found.add(full if full in MODULES else child.module)
            elif isinstance(child, ast.Import) and (lazy or not deeper):
                found.update(alias.name for alias in child.names)
            visit(child, deeper)

    visit(ast.parse(MODULES[name].read_text(encoding="utf-8")), False)
    return {m for m in found if m in MODULES and m != name}


def test_no_module_imports_one_that_imports_it_back() -> None:
    """The import graph has no cycle, counting imports inside functions too."""
    graph = {name: imports(name, lazy=True) for name in MODULES}
    cycles: list[list[str]] = []

    def walk(name: str, path: list[str], done: set[str]) -> None:
        for target in sorted(graph[name]):
            if target in path:
                cycles.append([*path[path.index(target):], target])
            elif target not in done:
                walk(target, [*path, target], done)
        done.add(name)

    done: set[str] = set()
    for name in MODULES:
        walk(name, [name], done)
    assert cycles == []


@pytest.mark.parametrize("layer", list(ALLOWED))
def test_each_layer_imports_only_what_is_below_it(layer: str) -> None:
    """The records layer and scoring import neither the command line, nor output, nor publish;
    publish imports neither the command line nor output."""
    allowed = ALLOWED[layer]
    for name in MODULES:
        if name != layer and not name.startswith(layer + "."):
            continue
        wrong = [
            m for m in imports(name, lazy=True)
            if not any(m == a or m.startswith(a + ".") for a in allowed if a != "tdekit") and m != "tdekit"
        ]
        assert wrong == [], f"{name} imports {wrong}"
