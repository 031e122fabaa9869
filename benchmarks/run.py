"""Time ``tde`` against a plain YAML read of the same project, at 1,000 and 10,000 records.

Every figure is a whole process, as a person or a pre-commit hook runs it: wall time (median of
several runs) and peak resident memory (from ``wait4``'s resource usage of that very process).
Times are given as multiples of the baseline, a script that reads every file and parses its
front matter with PyYAML's C loader. The table is printed and written to
``benchmarks/results/latest.md``.

    python benchmarks/run.py [--sizes 1000 10000] [--runs 11 3]

Projects are generated (seeded) under ``benchmarks/work/`` and kept for the next run. Python
may write bytecode files for these runs, as an installed tdekit has them.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import platform
import shutil
import statistics
import subprocess
import sys
import time
from dataclasses import dataclass, field
from importlib import metadata
from pathlib import Path

HERE = Path(__file__).resolve().parent
PYTHON = Path(sys.executable)
TDE = PYTHON.parent / "tde"
SEED = 2026

#: Runs of the start-up commands, which are quick and noisy.
STARTUP_RUNS = 10
#: The machine's load average when the benchmark started.
LOAD = os.getloadavg()


@dataclass
class Measure:
    """One command measured several times."""

    label: str
    seconds: list[float] = field(default_factory=list)
    cpu: list[float] = field(default_factory=list)
    peak_kb: int = 0
    note: str = ""

    @property
    def median(self) -> float:
        return statistics.median(self.seconds) if self.seconds else float("nan")


def environment() -> dict[str, str]:
    env = dict(os.environ)
    env.pop("PYTHONDONTWRITEBYTECODE", None)  # an installed tdekit has its bytecode
    env.update(NO_COLOR="1", COLUMNS="120", PYTHONHASHSEED="0")
    return env


def run_once(argv: list[str], cwd: Path | None = None) -> tuple[float, float, int]:
    """(wall seconds, CPU seconds, peak KB) of one process, which must succeed."""
    start = time.perf_counter()
    proc = subprocess.Popen(
        argv, cwd=cwd, env=environment(), stdout=subprocess.DEVNULL, stderr=subprocess.PIPE
    )
    _, status, usage = os.wait4(proc.pid, 0)
    elapsed = time.perf_counter() - start
    proc.returncode = os.waitstatus_to_exitcode(status)
    stderr = proc.stderr.read().decode("utf-8", "replace") if proc.stderr else ""
    if proc.stderr:
        proc.stderr.close()
    if proc.returncode not in (0,):
        raise RuntimeError(f"{' '.join(argv)} exited {proc.returncode}:\n{stderr[-2000:]}")
    return elapsed, usage.ru_utime + usage.ru_stime, int(usage.ru_maxrss)


def measure_rounds(commands: list[tuple[Measure, list[str], object]], runs: int) -> None:
    """Run every command once per round, ``runs`` rounds: load on the machine hits all alike."""
    for _ in range(runs):
        for result, argv, before in commands:
            if callable(before):
                before()
            seconds, cpu, peak = run_once(argv)
            result.seconds.append(seconds)
            result.cpu.append(cpu)
            result.peak_kb = max(result.peak_kb, peak)


def ensure_pyyaml() -> None:
    """The baseline needs PyYAML; it is installed here, for the benchmark only."""
    try:
        import yaml

        if not getattr(yaml, "__with_libyaml__", False):
            raise SystemExit("PyYAML is installed without its C loader; the baseline needs it")
    except ImportError:
        subprocess.run([str(PYTHON), "-m", "pip", "install", "--quiet", "pyyaml"], check=True)


def project(work: Path, size: int) -> Path:
    root = work / f"p{size}-seed{SEED}"
    if not (root / "tde.yaml").exists():
        shutil.rmtree(root, ignore_errors=True)
        subprocess.run(
            [str(PYTHON), str(HERE / "generate.py"), str(root), str(size), "--seed", str(SEED)],
            check=True,
        )
    return root


def has_render() -> bool:
    done = subprocess.run([str(TDE), "render", "plan", "--help"], capture_output=True, env=environment())
    return done.returncode == 0


def bench_size(root: Path, runs: int, out_dir: Path) -> list[Measure]:
    cache = root / ".tde-cache"

    def drop_cache() -> None:
        shutil.rmtree(cache, ignore_errors=True)

    tde = [str(TDE), "--project", str(root)]
    plan = sorted((root / "plans").glob("*.md"))[0].stem
    # One untimed pass first: bytecode written, files in the page cache.
    run_once([str(PYTHON), str(HERE / "baseline.py"), str(root)])
    run_once([*tde, "validate"])
    baseline = [str(PYTHON), str(HERE / "baseline.py"), str(root)]
    commands: list[tuple[Measure, list[str], object]] = [
        (Measure("baseline: read + PyYAML C loader"), baseline, None),
        (Measure("tde validate, cold (no cache)"), [*tde, "validate"], drop_cache),
        (Measure("tde score, cold"), [*tde, "score"], drop_cache),
        (Measure("tde score --format json, cold"), [*tde, "score", "--format", "json"], drop_cache),
        (Measure("tde list --format json, cold"), [*tde, "list", "--format", "json"], drop_cache),
        # The cold list above has filled the cache again.
        (Measure("tde validate, warm (nothing changed)"), [*tde, "validate"], None),
        (Measure("tde score, warm"), [*tde, "score"], None),
        (Measure("tde score --format json, warm"), [*tde, "score", "--format", "json"], None),
        (Measure("tde list --format json, warm"), [*tde, "list", "--format", "json"], None),
    ]
    render = Measure("tde render plan --format html, warm")
    if has_render():
        html = out_dir / "plan.html"
        argv = [*tde, "render", "plan", plan, "--format", "html", "-o", str(html)]
        try:
            run_once(argv)
            commands.append((render, argv, None))
        except RuntimeError as err:
            last = str(err).strip().splitlines()[-1]
            render.note = f"skipped: render failed ({last[:80]})"
    else:
        render.note = "skipped: this tde has no render command"
    measure_rounds(commands, runs)
    return [m for m, _, _ in commands] + ([] if render.seconds else [render])


def bench_startup() -> list[Measure]:
    bare = [str(PYTHON), str(HERE / "bare_app.py")]
    for argv in ([str(TDE), "--help"], [*bare, "--help"]):
        run_once(argv)
    commands: list[tuple[Measure, list[str], object]] = [
        (Measure("bare typer app --help"), [*bare, "--help"], None),
        (Measure("tde --help"), [str(TDE), "--help"], None),
        (Measure("bare typer app --version"), [*bare, "--version"], None),
        (Measure("tde --version"), [str(TDE), "--version"], None),
    ]
    measure_rounds(commands, STARTUP_RUNS)
    return [m for m, _, _ in commands]


# --- the report --------------------------------------------------------------------------------


def machine() -> str:
    cpu = platform.processor() or "unknown CPU"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    versions = ", ".join(
        f"{name} {metadata.version(name)}"
        for name in ("tdekit", "typer", "pydantic", "ruamel.yaml", "ruamel.yaml.clib", "PyYAML")
    )
    return (
        f"{os.cpu_count()} CPUs ({cpu}), {platform.system()} {platform.release()}, "
        f"Python {platform.python_version()}; {versions}"
    )


@dataclass
class Budget:
    label: str
    value: float
    limit: float
    unit: str

    def line(self) -> str:
        verdict = "holds" if self.value <= self.limit else "MISSED"
        shown = f"{self.value:.2f}{self.unit}" if self.unit == "x" else f"{self.value:.0f} {self.unit}"
        limit = f"{self.limit:g}{self.unit}" if self.unit == "x" else f"{self.limit:g} {self.unit}"
        return f"| {self.label} | {shown} | ≤ {limit} | {verdict} |"


def report(per_size: dict[int, list[Measure]], startup: list[Measure], runs: dict[int, int]) -> str:
    sizes = sorted(per_size)
    lines = [
        f"# tde benchmark, {dt.date.today().isoformat()}",
        "",
        f"Machine: {machine()}.",
        "",
        "Wall time is the median of "
        + ", ".join(f"{runs[n]} runs at {n:,} records" for n in sizes)
        + f" ({STARTUP_RUNS} for start-up), taken in rounds (each round runs every command "
        "once) so that other load on the machine falls on all of them alike; x = multiple of "
        "the baseline at the same size; peak = largest resident set of the process over its "
        "runs; CPU = user + system time of the process and its workers (median). Cold runs "
        "start without `.tde-cache/`; warm runs follow a run that filled it.",
        "",
        f"Load average (1 min) before and after: {LOAD[0]:.2f} and {os.getloadavg()[0]:.2f}; "
        "other processes on the machine slow every command, the baseline included.",
        "",
        "| command | " + " | ".join(f"{n:,}: time | x | CPU | peak MB" for n in sizes) + " |",
        "| --- |" + " ---: | ---: | ---: | ---: |" * len(sizes),
    ]
    labels = [m.label for m in per_size[sizes[0]]]
    for index, label in enumerate(labels):
        cells = []
        for n in sizes:
            m = per_size[n][index]
            base = per_size[n][0].median
            if not m.seconds:
                cells.append(f"{m.note} | | | ")
                continue
            cpu = statistics.median(m.cpu)
            cells.append(f"{m.median:.3f} s | {m.median / base:.2f} | {cpu:.2f} s | {m.peak_kb / 1024:.0f}")
        lines.append(f"| {label} | " + " | ".join(cells) + " |")
    lines += ["", "| start-up | time | x bare app | peak MB |", "| --- | ---: | ---: | ---: |"]
    for m in startup:
        bare = startup[0 if "help" in m.label else 2].median
        lines.append(f"| {m.label} | {m.median * 1000:.0f} ms | {m.median / bare:.2f} | {m.peak_kb / 1024:.0f} |")
    lines += ["", "## Budgets", "", "| budget | measured | limit | |", "| --- | ---: | ---: | --- |"]
    lines += [b.line() for b in budgets(per_size, startup)]
    return "\n".join(lines) + "\n"


def budgets(per_size: dict[int, list[Measure]], startup: list[Measure]) -> list[Budget]:
    found: list[Budget] = []
    cold_limit = {1000: 2.5, 10000: 3.0}
    warm_limit = {1000: 1.0, 10000: 0.5}
    for n, results in sorted(per_size.items()):
        by = {m.label: m for m in results}
        base = results[0].median
        cold = by["tde validate, cold (no cache)"]
        warm = by["tde validate, warm (nothing changed)"]
        if n in cold_limit:
            found.append(Budget(f"validate cold, {n:,}", cold.median / base, cold_limit[n], "x"))
            found.append(Budget(f"validate warm, {n:,}", warm.median / base, warm_limit[n], "x"))
        for state, reference in (("cold", cold), ("warm", warm)):
            for command in ("tde score", "tde score --format json", "tde list --format json"):
                m = by[f"{command}, {state}"]
                found.append(Budget(f"{command} / validate, {state}, {n:,}", m.median / reference.median, 1.2, "x"))
        if n == 10000:
            peak = max(m.peak_kb for m in results[1:]) / 1024
            found.append(Budget("peak memory of any tde command, 10,000", peak, 300, "MB"))
    for name in ("--help", "--version"):
        bare = next(m for m in startup if m.label == f"bare typer app {name}")
        tde = next(m for m in startup if m.label == f"tde {name}")
        found.append(Budget(f"tde {name} / bare typer app", tde.median / bare.median, 1.2, "x"))
    return found


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 10000])
    parser.add_argument("--runs", type=int, nargs="+", default=[11, 3],
                        help="runs per command at each size, in the order of --sizes")
    parser.add_argument("--work", type=Path, default=HERE / "work")
    args = parser.parse_args(argv)
    runs = dict(zip(args.sizes, args.runs + [args.runs[-1]] * len(args.sizes), strict=False))
    ensure_pyyaml()
    out_dir = HERE / "results"
    out_dir.mkdir(exist_ok=True)
    args.work.mkdir(parents=True, exist_ok=True)
    per_size = {}
    for size in args.sizes:
        print(f"{size:,} records ...", file=sys.stderr, flush=True)
        per_size[size] = bench_size(project(args.work, size), runs[size], out_dir)
    print("start-up ...", file=sys.stderr, flush=True)
    text = report(per_size, bench_startup(), runs)
    (out_dir / "latest.md").write_text(text, encoding="utf-8")
    print(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
