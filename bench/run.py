"""The benchmark: the whole pipeline in folder mode at 1M and 10M events, against a plain DuckDB floor.

    python bench/run.py [--events 1000000 10000000] [--data bench/data]

For each size it generates the raw exports (once; kept in bench/data), then times, each in its own process:
check_exports.py, a full `dbt build` (models and every test, on a new database), export.py, a second
`dbt build` (the incremental run, nothing new), and bench/floor.py, the same core transformation as one plain
DuckDB script. dbt's fixed start-up is measured as a full build of a tiny export (1,000 events). It prints a
table (wall time, peak memory, events per second) and the targets of the README, and saves the table in
bench/results/.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

PROJECT_DIR = Path(__file__).resolve().parents[1]
PYTHON = sys.executable
DBT = str(Path(sys.executable).parent / "dbt")
MEMORY_TARGET_MB = 3000


@dataclass
class Step:
    events: int
    name: str
    seconds: float
    peak_mb: float

    @property
    def events_per_second(self) -> float:
        return self.events / self.seconds if self.seconds else 0.0


def timed(command: list[str], env: dict[str, str]) -> tuple[float, float]:
    """Run a command; return its wall time and its peak resident memory (MB), from the kernel's accounting."""
    started = time.perf_counter()
    process = subprocess.Popen(command, cwd=PROJECT_DIR, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    output = process.stdout.read() if process.stdout else b""
    _, status, usage = os.wait4(process.pid, 0)
    seconds = time.perf_counter() - started
    if os.waitstatus_to_exitcode(status) != 0:
        print(output.decode(errors="replace")[-3000:])
        raise SystemExit(f"benchmark step failed: {' '.join(command)}")
    return seconds, usage.ru_maxrss / 1024


def generate(events: int, data_dir: Path) -> Path:
    folder = data_dir / f"{events}"
    if not (folder / "raw_app_events.csv").exists():
        subprocess.run([PYTHON, "bench/generate.py", "--events", str(events), "--out", str(folder)],
                       cwd=PROJECT_DIR, check=True)  # fmt: skip
    return folder


def measure(events: int, raw_dir: Path, work: Path, with_floor: bool = True) -> list[Step]:
    database = work / "bench.duckdb"
    env = dict(os.environ, DBT_PROFILES_DIR=str(PROJECT_DIR), TOTANGO_DUCKDB_PATH=str(database))
    dbt_build = [DBT, "build", "--vars", f"{{raw_dir: '{raw_dir}'}}", "--exclude-resource-type", "seed", "unit_test",
                 "--target-path", str(work / "target"), "--log-path", str(work / "logs")]  # fmt: skip
    commands = [
        ("check_exports", [PYTHON, "check_exports.py", str(raw_dir)]),
        ("dbt build (full)", dbt_build),
        ("export", [PYTHON, "export.py", "--db", str(database), "--out", str(work / "output"),
                    "--run-results", str(work / "target" / "run_results.json")]),
        ("dbt build (incremental)", dbt_build),
    ]  # fmt: skip
    if with_floor:
        commands.append(("floor (plain DuckDB)", [PYTHON, "bench/floor.py", str(raw_dir), str(work / "floor")]))
    steps = []
    for name, command in commands:
        seconds, peak_mb = timed(command, env)
        steps.append(Step(events, name, seconds, peak_mb))
        print(f"  {events:>10,} events  {name:<24} {seconds:7.1f} s  {peak_mb:7.0f} MB", flush=True)
    return steps


def report(steps: list[Step], fixed_seconds: float) -> str:
    lines = [
        "| events | step | wall (s) | peak memory (MB) | events/s |",
        "| ---: | --- | ---: | ---: | ---: |",
    ]
    for step in steps:
        lines.append(
            f"| {step.events:,} | {step.name} | {step.seconds:.1f} | {step.peak_mb:.0f} "
            f"| {step.events_per_second:,.0f} |"
        )
    lines.append("")
    lines.append(f"dbt fixed start-up (full build of 1,000 events): {fixed_seconds:.1f} s")
    by_size: dict[int, dict[str, Step]] = {}
    for step in steps:
        by_size.setdefault(step.events, {})[step.name] = step
    pipeline_seconds = {}
    for events, named in sorted(by_size.items()):
        pipeline = named["check_exports"].seconds + named["dbt build (full)"].seconds + named["export"].seconds
        pipeline_seconds[events] = pipeline
        floor = named["floor (plain DuckDB)"].seconds
        target = 2 * floor + fixed_seconds
        peak = max(named[name].peak_mb for name in ("check_exports", "dbt build (full)", "export"))
        lines.append(
            f"{events:,} events: pipeline (check + build + export) {pipeline:.1f} s; target 2 x floor {floor:.1f} s"
            f" + start-up {fixed_seconds:.1f} s = {target:.1f} s: {'met' if pipeline <= target else 'missed'}"
            f" ({pipeline / target:.2f} x); peak memory {peak:.0f} MB against {MEMORY_TARGET_MB} MB:"
            f" {'met' if peak < MEMORY_TARGET_MB else 'missed'}"
        )
    if len(pipeline_seconds) >= 2:
        (small, small_s), (large, large_s) = sorted(pipeline_seconds.items())[0], sorted(pipeline_seconds.items())[-1]
        growth = (large_s - fixed_seconds) / max(small_s - fixed_seconds, 1e-9)
        lines.append(
            f"growth beyond start-up from {small:,} to {large:,} events: {growth:.1f} x for {large / small:.0f} x"
            " the events (linear is the same number)"
        )
    return "\n".join(lines)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--events", type=int, nargs="+", default=[1_000_000, 10_000_000])
    parser.add_argument("--data", type=Path, default=PROJECT_DIR / "bench" / "data")
    args = parser.parse_args()
    steps: list[Step] = []
    with tempfile.TemporaryDirectory(prefix="totango-bench-") as scratch:
        print("dbt fixed start-up:", flush=True)
        tiny = measure(1000, generate(1000, args.data), Path(scratch) / "tiny", with_floor=False)
        fixed_seconds = next(step.seconds for step in tiny if step.name == "dbt build (full)")
        for events in args.events:
            print(f"{events:,} events:", flush=True)
            work = Path(scratch) / str(events)
            steps += measure(events, generate(events, args.data), work)
            shutil.rmtree(work)
    table = report(steps, fixed_seconds)
    print()
    print(table)
    results = PROJECT_DIR / "bench" / "results"
    results.mkdir(exist_ok=True)
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    (results / f"bench-{stamp}.md").write_text(table + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
