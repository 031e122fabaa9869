"""The tally of ``tde find requests`` done by an embedded engine (DuckDB, polars), side by side
with tde and with Python's csv module merely reading the log.

    python benchmarks/find_engines.py [--rows 1000000] [--runs 3] [--python PATH]

Each engine computes what tde's counting loop does: rows per value of the category column and
per date (the first ten characters of ``Created Date``), every column read as text. An engine
that ``--python`` (this Python by default) cannot import is skipped, so that the benchmark runs
without them: they are not dependencies of tdekit. A second part feeds each engine the small
files whose reading tde's refusals are about (a row with a field too many, a stray quote, a
quoted newline) and notes what it does. The table is printed and written to
``benchmarks/results/find-engines.md``.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from find_requests import BASELINE, READ_ONLY, measure, prepare  # noqa: E402

#: Rows per category and per date; prints nothing (the counts are the work).
ENGINES = {
    "duckdb": (
        "import sys, duckdb\n"
        "con = duckdb.connect()\n"
        "con.execute(\"SET threads = 2\")\n"
        "rel = con.read_csv(sys.argv[1], header=True, all_varchar=True)\n"
        "by_type = rel.aggregate('\"Complaint Type\", count(*)').fetchall()\n"
        "by_day = rel.aggregate('substr(\"Created Date\", 1, 10) AS day, count(*)', 'day').fetchall()\n"
    ),
    "polars": (
        "import sys, polars as pl\n"
        "frame = pl.scan_csv(sys.argv[1], infer_schema=False)\n"
        "by_type = frame.group_by('Complaint Type').len()\n"
        "by_day = frame.group_by(pl.col('Created Date').str.slice(0, 10)).len()\n"
        "pl.collect_all([by_type, by_day], engine='streaming')\n"
    ),
}
#: Only what an engine needs to read a file, to show what it says of it.
PROBE = {
    "duckdb": "import sys, duckdb\nprint(duckdb.read_csv(sys.argv[1], header=True, all_varchar=True).fetchall())\n",
    "polars": "import sys, polars as pl\nprint(pl.read_csv(sys.argv[1], infer_schema=False).rows())\n",
    "csv": "import csv, sys\nprint(list(csv.reader(open(sys.argv[1], newline='', encoding='utf-8'))))\n",
}
CASES = {
    "a row with a field too many (line 3)": 'Complaint Type,Descriptor\nHeat,ok\nHeat,"a, b",extra\nMold,x\n',
    "a stray quote in an unquoted field": 'Complaint Type,Descriptor\nHeat,5" pipe\nMold,x\n',
    "a quoted newline": 'Complaint Type,Descriptor\nHeat,"two\nlines"\nMold,x\n',
}


def available(python: str, engine: str) -> bool:
    return subprocess.run([python, "-c", f"import {engine}"], capture_output=True).returncode == 0


def probe(python: str, engine: str) -> list[str]:
    """What the engine says of each of CASES: its rows, or the first line of its error."""
    said = []
    with tempfile.TemporaryDirectory() as folder:
        for name, text in CASES.items():
            path = Path(folder) / "case.csv"
            path.write_text(text, encoding="utf-8")
            done = subprocess.run([python, "-c", PROBE[engine], str(path)], capture_output=True, text=True)
            out = done.stdout.strip() if done.returncode == 0 else "error: " + (
                [line for line in done.stderr.splitlines() if line.strip()] or ["?"])[-1]
            said.append(f"- {engine}, {name}: {out[:300]}")
    return said


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--python", default=sys.executable, help="a Python with duckdb or polars installed")
    args = parser.parse_args()
    log, project = prepare(args.rows)
    tde = str(Path(sys.executable).parent / "tde")
    commands = {
        BASELINE: [sys.executable, "-c", READ_ONLY, str(log)],
        "tde find requests --topic-column --date-column": [
            tde, "--project", str(project), "find", "requests", str(log), "--source", "311",
            "--topic-column", "Complaint Type", "--date-column", "Created Date"],
    }
    engines = [engine for engine in ENGINES if available(args.python, engine)]
    for engine in ENGINES:
        if engine in engines:
            commands[f"{engine}: the same counts"] = [args.python, "-c", ENGINES[engine], str(log)]
        else:
            print(f"{engine}: not installed for {args.python}, skipped", file=sys.stderr)
    lines = measure(commands, args.runs, log, args.rows)
    lines += ["", "What each reader does with the files tde refuses or must read right:", ""]
    for engine in ["csv", *engines]:
        lines += probe(args.python if engine != "csv" else sys.executable, engine)
    table = "\n".join(lines) + "\n"
    print(table)
    out = HERE / "results"
    out.mkdir(exist_ok=True)
    (out / "find-engines.md").write_text(table, encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
