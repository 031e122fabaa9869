"""Time ``tde feedback import`` of a Google Forms-like export of 1,000 comments (the goal: < 2 s).

    python benchmarks/feedback_import.py [--rows 1000] [--runs 3]

A fresh copy of the shipped example project is made for each run under ``benchmarks/work/``
(gitignored), and the export once: names, addresses, sections, consent answers and comments
of one to four sentences, some over several lines. Each run imports into a project that has
none of the rows yet (all written), then a second time (nothing to add). The table gives the
median wall time, CPU time and peak resident memory of the whole process (from ``wait4``),
and is written to ``benchmarks/results/feedback-import.md``.
"""

from __future__ import annotations

import argparse
import csv
import random
import shutil
import statistics
import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from run import Measure, measure_rounds  # noqa: E402  (the same measure as the other benchmarks)

PLAN = "eviction-filings-release-plan"
SENTENCE = ("the data should show filings by month and by neighborhood so that tenant groups can plan "
            "outreach before hearings please publish it in spanish and keep addresses out of every file")
WORDS = SENTENCE.split(" ")
NAMES = ("Ana", "Ben", "Chen", "Dara", "Eli", "Fatima", "Gus", "Hana", "Ivan", "Jo")


def write_export(path: Path, rows: int, seed: int = 13) -> None:
    rand = random.Random(seed)
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        # The columns of the example's form, which its tde.yaml maps (imports.feedback).
        writer.writerow(["Timestamp", "Email Address", "Your name (optional)",
                         "Which section of the draft plan is your comment about?", "Your comment",
                         "May we publish your name with your comment?", "Which best describes you?"])
        for number in range(rows):
            name = f"{rand.choice(NAMES)} Tester{number}"
            sentences = [" ".join(rand.choices(WORDS, k=rand.randint(6, 20))).capitalize() + "."
                         for _ in range(rand.randint(1, 4))]
            writer.writerow([
                f"{6 + number % 3}/{1 + number % 28}/2026 {number % 24}:{number % 60:02d}:{number % 60:02d}",
                f"tester{number}@example.org", name, f"§{1 + number % 8}",
                ("\n" if number % 5 == 0 else " ").join(sentences),
                rand.choice(["Yes", "Without my name", "No", ""]), rand.choice(["Resident", "Nonprofit", "Other", ""]),
            ])


def fresh_project(project: Path) -> None:
    """A copy of the example at ``project``, its cache filled: none of the rows imported yet."""
    if project.exists():
        shutil.rmtree(project)
    shutil.copytree(HERE.parent / "examples", project)
    tde = str(Path(sys.executable).parent / "tde")
    subprocess.run([tde, "--project", str(project), "validate"], check=True, capture_output=True)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rows", type=int, default=1000)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    work = HERE / "work"
    work.mkdir(exist_ok=True)
    export = work / f"feedback-{args.rows}.csv"
    write_export(export, args.rows)
    project = work / "feedback-project"
    argv = [str(Path(sys.executable).parent / "tde"), "--project", str(project), "feedback", "import",
            str(export), "--plan", PLAN, "--round", "1"]
    first, second = Measure("first import (all rows written)"), Measure("second import (nothing to add)")
    measure_rounds([(first, argv, lambda: fresh_project(project)), (second, argv, None)], args.runs)
    lines = [f"{args.rows:,} rows, {export.stat().st_size / 1e3:.0f} KB; median of {args.runs} runs", "",
             "| command | time | CPU | peak MB |", "| --- | ---: | ---: | ---: |"]
    lines += [f"| {m.label} | {m.median:.2f} s | {statistics.median(m.cpu):.2f} s | {m.peak_kb / 1024:.0f} |"
              for m in (first, second)]
    table = "\n".join(lines) + "\n"
    print(table)
    out = HERE / "results"
    out.mkdir(exist_ok=True)
    (out / "feedback-import.md").write_text(table, encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
