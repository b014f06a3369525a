"""The benchmark: the whole pipeline in folder mode at 1M and 10M events, against a plain DuckDB floor.

    python bench/run.py [--events 1000000 10000000] [--new 100000] [--data bench/data] [--no-spark]
                        [--spark-events 1000000]

For each size it generates the raw exports (once; kept in bench/data) and a later day's new events, then times,
each step in its own process:
- a full run from nothing: check_exports.py, `dbt build` (models and every test, new database), export.py;
- a daily run with the events re-delivered as one whole file (yesterday's events plus the new ones), on the
  database of the full run: check, build, export (which sends only the new events);
- a daily run with the events as a growing folder raw_app_events/ (yesterday's file plus a new file), on a
  database that has built and exported yesterday's folder: check, build, export;
- bench/floor.py, the core transformation as one plain DuckDB script;
- at --spark-events (1M) only, unless --no-spark: the full run on Spark (dbt target spark, a new warehouse; issue
  12), beside DuckDB's, with no target. Its peak memory is that of the whole process tree, sampled
  (bench/process_tree.py): dbt-spark's JVM is a child the kernel's accounting of dbt leaves out.
dbt's fixed start-up is the full build of a tiny export (1,000 events). It prints a table (wall time, peak memory,
events per second) and each target of issue 8 against its figure, and saves them in bench/results/.
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

from process_tree import run_sampled

PROJECT_DIR = Path(__file__).resolve().parents[1]
PYTHON = sys.executable
DBT = str(Path(sys.executable).parent / "dbt")
MEMORY_TARGET_MB = 2000
SPARK_SCENARIO = "full run, Spark"
OTHER_EXPORTS = ("raw_crm_accounts.csv", "raw_crm_subscriptions.csv", "raw_app_users.csv")


@dataclass
class Step:
    events: int
    scenario: str
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


def timed_tree(command: list[str], env: dict[str, str]) -> tuple[float, float]:
    """Run a command; return its wall time and the peak memory (MB) of its process tree, sampled."""
    seconds, peak_mb, exit_code, output = run_sampled(command, PROJECT_DIR, env)
    if exit_code != 0:
        print(output.decode(errors="replace")[-3000:])
        raise SystemExit(f"benchmark step failed: {' '.join(command)}")
    return seconds, peak_mb


def generate(events: int, new_events: int, data_dir: Path) -> Path:
    folder = data_dir / f"{events}"
    if not (folder / "new_events.csv").exists():
        subprocess.run([PYTHON, "bench/generate.py", "--events", str(events), "--new-events", str(new_events),
                        "--out", str(folder)], cwd=PROJECT_DIR, check=True)  # fmt: skip
    return folder


def layouts(data: Path, work: Path) -> dict[str, Path]:
    """Four raw folders over the generated files (linked, not copied): yesterday and today, with the events as
    one re-delivered file and as a growing folder."""
    folders = {name: work / name for name in ("file-day1", "file-day2", "folder-day1", "folder-day2")}
    for folder in folders.values():
        folder.mkdir(parents=True)
        for name in OTHER_EXPORTS:
            (folder / name).symlink_to(data / name)
    (folders["file-day1"] / "raw_app_events.csv").symlink_to(data / "raw_app_events.csv")
    with (folders["file-day2"] / "raw_app_events.csv").open("wb") as whole:
        whole.write((data / "raw_app_events.csv").read_bytes())
        with (data / "new_events.csv").open("rb") as new:
            new.readline()  # the header is there already
            shutil.copyfileobj(new, whole)
    for day in ("folder-day1", "folder-day2"):
        (folders[day] / "raw_app_events").mkdir()
        (folders[day] / "raw_app_events" / "2026-11-24.csv").symlink_to(data / "raw_app_events.csv")
    (folders["folder-day2"] / "raw_app_events" / "2026-11-25.csv").symlink_to(data / "new_events.csv")
    return folders


def pipeline(raw: Path, work: Path, database: Path, out: Path) -> list[tuple[str, list[str], dict[str, str]]]:
    env = dict(
        os.environ, DBT_PROFILES_DIR=str(PROJECT_DIR), TOTANGO_DUCKDB_PATH=str(database), TOTANGO_RAW_DIR=str(raw)
    )
    dbt_build = [DBT, "build",
                 "--target-path", str(work / "target"), "--log-path", str(work / "logs")]  # fmt: skip
    return [
        ("check_exports", [PYTHON, "check_exports.py", str(raw)], env),
        ("dbt build", dbt_build, env),
        ("export", [PYTHON, "export.py", "--db", str(database), "--out", str(out)], env),
    ]


def spark_pipeline(raw: Path, work: Path) -> list[tuple[str, list[str], dict[str, str]]]:
    """The full run on Spark: a new warehouse (its Parquet tables and Spark's catalog), the ledger in a new DuckDB
    file beside it."""
    warehouse, ledger = work / "spark-warehouse", work / "spark-ledger.duckdb"
    env = dict(os.environ, DBT_PROFILES_DIR=str(PROJECT_DIR), TOTANGO_SPARK_DIR=str(warehouse),
               TOTANGO_RAW_DIR=str(raw))  # fmt: skip
    dbt_build = [DBT, "build", "--target", "spark",
                 "--target-path", str(work / "spark-target"), "--log-path", str(work / "spark-logs")]  # fmt: skip
    return [
        ("check_exports", [PYTHON, "check_exports.py", str(raw)], env),
        ("dbt build", dbt_build, env),
        ("export", [PYTHON, "export.py", "--db", str(ledger), "--spark-warehouse", str(warehouse),
                    "--out", str(work / "out-spark")], env),
    ]  # fmt: skip


def measure_spark(events: int, data: Path, work: Path) -> list[Step]:
    folders = layouts(data, work / "spark-raw")
    steps = []
    for name, command, env in spark_pipeline(folders["file-day1"], work):
        seconds, peak_mb = timed_tree(command, env)
        steps.append(Step(events, SPARK_SCENARIO, name, seconds, peak_mb))
        print(f"  {events:>10,} events  {SPARK_SCENARIO:<22} {name:<14} {seconds:7.1f} s  {peak_mb:7.0f} MB",
              flush=True)  # fmt: skip
    return steps


def measure(events: int, data: Path, work: Path, with_daily: bool = True) -> list[Step]:
    folders = layouts(data, work)
    file_db, folder_db = work / "file.duckdb", work / "folder.duckdb"
    scenarios = [("full run", pipeline(folders["file-day1"], work, file_db, work / "out-full"), True)]
    if with_daily:
        scenarios += [
            ("daily run, one file", pipeline(folders["file-day2"], work, file_db, work / "out-file-day2"), True),
            ("yesterday, as a folder", pipeline(folders["folder-day1"], work, folder_db, work / "out-f1"), False),
            ("daily run, folder", pipeline(folders["folder-day2"], work, folder_db, work / "out-folder-day2"), True),
            ("floor", [("plain DuckDB", [PYTHON, "bench/floor.py", str(data), str(work / "floor")], {**os.environ})],
             True),
        ]  # fmt: skip
    steps = []
    for scenario, commands, reported in scenarios:
        for name, command, env in commands:
            seconds, peak_mb = timed(command, env)
            if reported:
                steps.append(Step(events, scenario, name, seconds, peak_mb))
                print(f"  {events:>10,} events  {scenario:<22} {name:<14} {seconds:7.1f} s  {peak_mb:7.0f} MB",
                      flush=True)  # fmt: skip
    return steps


def verdict(figure: float, target: float) -> str:
    return f"{'met' if figure <= target else 'missed'} ({figure / target:.2f} x)"


def report(steps: list[Step], fixed: float, new_events: int) -> str:
    lines = ["| events | scenario | step | wall (s) | peak memory (MB) | events/s |",
             "| ---: | --- | --- | ---: | ---: | ---: |"]  # fmt: skip
    for step in steps:
        lines.append(f"| {step.events:,} | {step.scenario} | {step.name} | {step.seconds:.1f} | {step.peak_mb:.0f} "
                     f"| {step.events_per_second:,.0f} |")  # fmt: skip
    lines += ["", f"dbt fixed start-up (full build of 1,000 events): {fixed:.1f} s"]
    full_seconds = {}
    for events in sorted({step.events for step in steps}):
        totals = {s: sum(x.seconds for x in steps if x.events == events and x.scenario == s)
                  for s in ("full run", "daily run, one file", "daily run, folder", "floor")}  # fmt: skip
        peak = max(x.peak_mb for x in steps if x.events == events and x.scenario not in ("floor", SPARK_SCENARIO))
        floor = totals["floor"]
        full_seconds[events] = totals["full run"]
        lines += [
            f"{events:,} events, {new_events:,} new:",
            f"- daily run, one file re-delivered: {totals['daily run, one file']:.1f} s against 1.0 x floor "
            f"{floor:.1f} s + start-up {fixed:.1f} s = {floor + fixed:.1f} s: "
            f"{verdict(totals['daily run, one file'], floor + fixed)}",
            f"- daily run, events as a folder: {totals['daily run, folder']:.1f} s against start-up + 5 s = "
            f"{fixed + 5:.1f} s: {verdict(totals['daily run, folder'], fixed + 5)}",
            f"- full run from nothing: {totals['full run']:.1f} s against 2 x floor + start-up = "
            f"{2 * floor + fixed:.1f} s: {verdict(totals['full run'], 2 * floor + fixed)}",
            f"- peak memory {peak:.0f} MB against {MEMORY_TARGET_MB} MB: {verdict(peak, MEMORY_TARGET_MB)}",
        ]
    for events in sorted({step.events for step in steps if step.scenario == SPARK_SCENARIO}):
        spark = [x for x in steps if x.events == events and x.scenario == SPARK_SCENARIO]
        duckdb = [x for x in steps if x.events == events and x.scenario == "full run"]
        spark_seconds, duckdb_seconds = sum(x.seconds for x in spark), sum(x.seconds for x in duckdb)
        lines += [
            f"{events:,} events, full run (check + build + export) on Spark, beside DuckDB (no target):",
            f"- Spark {spark_seconds:.1f} s, DuckDB {duckdb_seconds:.1f} s ({spark_seconds / duckdb_seconds:.1f} x); "
            f"peak memory Spark {max(x.peak_mb for x in spark):.0f} MB (dbt and its JVM), "
            f"DuckDB {max(x.peak_mb for x in duckdb):.0f} MB",
        ]
    if len(full_seconds) >= 2:
        (small, small_s), (large, large_s) = sorted(full_seconds.items())[0], sorted(full_seconds.items())[-1]
        growth = (large_s - fixed) / max(small_s - fixed, 1e-9)
        lines.append(f"full run, growth beyond start-up from {small:,} to {large:,} events: {growth:.1f} x for "
                     f"{large / small:.0f} x the events (linear is the same number)")  # fmt: skip
    return "\n".join(lines)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--events", type=int, nargs="+", default=[1_000_000, 10_000_000])
    parser.add_argument("--new", type=int, default=100_000, help="new events of the daily run (default 100,000)")
    parser.add_argument("--data", type=Path, default=PROJECT_DIR / "bench" / "data")
    parser.add_argument("--no-spark", action="store_true", help="leave out the full run on Spark")
    parser.add_argument("--spark-events", type=int, default=1_000_000, help="the size run on Spark too (default 1M)")
    args = parser.parse_args()
    steps: list[Step] = []
    with tempfile.TemporaryDirectory(prefix="totango-bench-") as scratch:
        print("dbt fixed start-up:", flush=True)
        tiny = measure(1000, generate(1000, 10, args.data), Path(scratch) / "tiny", with_daily=False)
        fixed = next(step.seconds for step in tiny if step.name == "dbt build")
        for events in args.events:
            print(f"{events:,} events:", flush=True)
            work = Path(scratch) / str(events)
            steps += measure(events, generate(events, args.new, args.data), work)
            if events == args.spark_events and not args.no_spark:
                steps += measure_spark(events, generate(events, args.new, args.data), work)
            shutil.rmtree(work)
    table = report(steps, fixed, args.new)
    print()
    print(table)
    results = PROJECT_DIR / "bench" / "results"
    results.mkdir(exist_ok=True)
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    (results / f"bench-{stamp}.md").write_text(table + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
