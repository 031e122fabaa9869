"""Time ``tde find requests`` on a generated 311 log against Python's csv module merely reading it.

    python benchmarks/find_requests.py [--rows 1000000] [--runs 3]

The log (``generate_requests.py``, about 256 MB at a million rows) and a project with four
topics are made once under ``benchmarks/work/`` (gitignored). Each round runs every command
once, as whole processes; the table gives the median wall time, the best (on a shared
machine, the run least slowed by others), the median CPU time and the peak resident memory
(from ``wait4``: the largest of the processes, as a file of 32 MB or more is read by two at
once), and is written to ``benchmarks/results/find-requests.md`` with the machine's load.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from run import run_once  # noqa: E402  (the same measure as the other benchmarks)

TOPICS = """
find:
  topics:
    evictions: [eviction, lockout]
    housing_conditions: [heat, mold, leak, plumbing, paint, pest, rodent]
    noise: [noise, loud]
    streets: [street, sidewalk]
"""
READ_ONLY = (
    "import csv, sys\n"
    "with open(sys.argv[1], newline='', encoding='utf-8') as f:\n"
    "    for row in csv.reader(f):\n"
    "        pass\n"
)


def prepare(rows: int) -> tuple[Path, Path]:
    work = HERE / "work"
    work.mkdir(exist_ok=True)
    log = work / f"311-{rows}.csv"
    if not log.exists():
        subprocess.run([sys.executable, str(HERE / "generate_requests.py"), str(log), str(rows)], check=True)
    project = work / "find-project"
    if not project.exists():
        tde = str(Path(sys.executable).parent / "tde")
        subprocess.run([tde, "init", str(project), "--no-git"], check=True, capture_output=True)
        with (project / "tde.yaml").open("a", encoding="utf-8") as handle:
            handle.write(TOPICS)
    return log, project



BASELINE = "baseline: csv.reader reads every row"


def measure(commands: dict[str, list[str]], runs: int, log: Path, rows: int) -> list[str]:
    """Run every command ``runs`` times, in rounds, and give the table's lines: median and best
    wall time, each against the baseline's (the command named :data:`BASELINE`), CPU, peak."""
    results: dict[str, list[tuple[float, float, int]]] = {name: [] for name in commands}
    load = os.getloadavg()
    for _ in range(runs):
        for name, argv in commands.items():
            results[name].append(run_once(argv))
    baseline = statistics.median(r[0] for r in results[BASELINE])
    best_baseline = min(r[0] for r in results[BASELINE])
    lines = [
        f"{rows:,} rows, {log.stat().st_size / 1e6:.0f} MB; median of {runs} runs; {os.cpu_count()} CPUs, "
        f"load average {load[0]:.2f} at the start, {os.getloadavg()[0]:.2f} at the end",
        "",
        "| command | time | x baseline | best | x best baseline | CPU | peak MB |",
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    for name, timed in results.items():
        wall = statistics.median(r[0] for r in timed)
        cpu = statistics.median(r[1] for r in timed)
        peak = max(r[2] for r in timed) / 1024
        best = min(r[0] for r in timed)
        lines.append(f"| {name} | {wall:.2f} s | {wall / baseline:.2f} | {best:.2f} s | {best / best_baseline:.2f} "
                     f"| {cpu:.2f} s | {peak:.0f} |")
    return lines

def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    log, project = prepare(args.rows)
    tde = str(Path(sys.executable).parent / "tde")
    base = [tde, "--project", str(project), "find", "requests", str(log), "--source", "311"]
    commands = {
        BASELINE: [sys.executable, "-c", READ_ONLY, str(log)],
        "tde find requests --topic-column --date-column": [
            *base, "--topic-column", "Complaint Type", "--date-column", "Created Date"],
        "same, --where Agency=HPD": [
            *base, "--topic-column", "Complaint Type", "--date-column", "Created Date", "--where", "Agency=HPD"],
        "tde find requests --text-column (keywords in free text)": [*base, "--text-column", "Descriptor"],
    }
    lines = measure(commands, args.runs, log, args.rows)
    table = "\n".join(lines) + "\n"
    print(table)
    out = HERE / "results"
    out.mkdir(exist_ok=True)
    (out / "find-requests.md").write_text(table, encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
