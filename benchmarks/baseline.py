"""The yardstick: read every record and parse its front matter with PyYAML's C loader.

This is the least any tool must do to look at every record, so ``tde``'s times are given as
multiples of it. PyYAML is installed for the benchmark only; tdekit does not use it.

    python benchmarks/baseline.py PROJECT
"""

from __future__ import annotations

import sys
from pathlib import Path

import yaml

FOLDERS = ("interviews", "personas", "usecases", "plans", "feedback")


def front_matter(text: str) -> str:
    """The text between the opening ``---`` line and the next one."""
    lines = text.splitlines(keepends=True)
    if not lines or lines[0].rstrip() != "---":
        return ""
    for index in range(1, len(lines)):
        if lines[index].rstrip() == "---":
            return "".join(lines[1:index])
    return ""


def main(root: Path) -> int:
    loader = yaml.CSafeLoader
    count = 0
    with (root / "tde.yaml").open(encoding="utf-8") as handle:
        yaml.load(handle, Loader=loader)
    for folder in FOLDERS:
        for path in sorted((root / folder).glob("*.md")):
            data = yaml.load(front_matter(path.read_text(encoding="utf-8")), Loader=loader)
            count += isinstance(data, dict)
    print(f"{count} records read")
    return 0


if __name__ == "__main__":
    sys.exit(main(Path(sys.argv[1])))
