"""The benchmark: the whole pipeline in folder mode at 1M and 10M events, against a plain DuckDB floor.

    python bench/run.py [--events 1000000 10000000] [--new 100000] [--data bench/data] [--no-spark]
                        [--spark-events 1000000] [--spark-daily]
    python bench/run.py --events 100000000 --days 100 --grow-by 10 --new 1000000 --no-spark     (by hand: hours;
        docs/benchmark.md says what it needs and what it gave)

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
With --days N the history is a folder of N day files (bench/generate.py --days) and only the folder runs are timed:
the full run over the N files, then the daily run that adds the new day's file (the run whose cost must not
depend on the history). With --grow-by G as well, the history is built as a feed receives it, G day files per run
(check, build, export), each run timed, instead of in one full run. With --spark-daily the Spark runs are timed as
the DuckDB ones are (full, daily one file, daily folder), at --spark-events.
dbt's fixed start-up is the full build of a tiny export (1,000 events). It prints a table (wall time, peak memory,
events per second) and each target against its figure, and saves them in bench/results/, with each timed
build's dbt run results (each node's time).
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import duckdb
from process_tree import run_sampled

PROJECT_DIR = Path(__file__).resolve().parents[1]
PYTHON = sys.executable
DBT = str(Path(sys.executable).parent / "dbt")
MEMORY_TARGET_MB = 2000
SPARK_SCENARIO = "full run, Spark"
OTHER_EXPORTS = ("raw_crm_accounts.csv", "raw_crm_subscriptions.csv", "raw_app_users.csv")
RESULTS_DIR = PROJECT_DIR / "bench" / "results"
# This run's name in bench/results/: its table, and each timed build's dbt run results (per-node times).
RUN_STAMP = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")


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


def generate(events: int, new_events: int, data_dir: Path, days: int = 0) -> Path:
    folder = data_dir / (f"{events}" if not days else f"{events}-{days}days")
    if not (folder / "new_events.csv").exists():
        subprocess.run([PYTHON, "bench/generate.py", "--events", str(events), "--new-events", str(new_events),
                        "--out", str(folder), *(["--days", str(days)] if days else [])],
                       cwd=PROJECT_DIR, check=True)  # fmt: skip
    return folder


def day_folder(data: Path, folder: Path, day_files: list[Path], new_day: bool = False) -> Path:
    """A raw folder over some of the generated day files (linked, not copied) and the other exports; with new_day,
    the new day's events too, as a file that sorts after the others."""
    (folder / "raw_app_events").mkdir(parents=True)
    for name in OTHER_EXPORTS:
        (folder / name).symlink_to(data / name)
    for day_file in day_files:
        (folder / "raw_app_events" / day_file.name).symlink_to(day_file)
    if new_day:
        (folder / "raw_app_events" / "day-new.csv").symlink_to(data / "new_events.csv")
    return folder


def measure_days(events: int, data: Path, work: Path, grow_by: int = 0) -> list[Step]:
    """The folder runs over a history of day files: the history, then the daily run (one new file), whose cost
    must not depend on the history. The history is one full run over every day file, or, with grow_by, the runs of
    a feed that received grow_by day files at a time (each a check, build and export on the same database): a
    full build of a very large history at once needs more disk for DuckDB's spills than a feed ever does."""
    day_files = sorted((data / "raw_app_events").iterdir())
    database = work / "days.duckdb"
    step = grow_by or len(day_files)
    history = [
        (f"history, {count} days" if grow_by else "full run, folder",
         day_folder(data, work / f"history-{count}", day_files[:count]))
        for count in [*range(step, len(day_files), step), len(day_files)]
    ]  # fmt: skip
    today = day_folder(data, work / "today", day_files, new_day=True)
    scenarios = [
        *((name, pipeline(folder, work, database, work / f"out-{folder.name}"), True) for name, folder in history),
        ("daily run, folder", pipeline(today, work, database, work / "out-today"), True),
    ]
    return run_scenarios(events, scenarios, timed)


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


def spark_pipeline(raw: Path, work: Path, name: str = "full") -> list[tuple[str, list[str], dict[str, str]]]:
    """A run on Spark: the warehouse (its Parquet tables and Spark's catalog) and the ledger (a DuckDB file beside
    it) named for the layout, so that a daily run builds on its full run."""
    warehouse, ledger = work / f"spark-warehouse-{name}", work / f"spark-ledger-{name}.duckdb"
    env = dict(os.environ, DBT_PROFILES_DIR=str(PROJECT_DIR), TOTANGO_SPARK_DIR=str(warehouse),
               TOTANGO_RAW_DIR=str(raw))  # fmt: skip
    dbt_build = [DBT, "build", "--target", "spark",
                 "--target-path", str(work / "spark-target"), "--log-path", str(work / "spark-logs")]  # fmt: skip
    return [
        ("check_exports", [PYTHON, "check_exports.py", "--database", str(ledger), str(raw)], env),
        ("dbt build", dbt_build, env),
        ("export", [PYTHON, "export.py", "--db", str(ledger), "--spark-warehouse", str(warehouse),
                    "--out", str(work / f"out-spark-{raw.name}")], env),
    ]  # fmt: skip


# A scenario: its name, its commands (step name, command, environment), and whether its steps are reported (a
# scenario that only prepares the next one, such as yesterday's run before a daily one, is not).
Scenario = tuple[str, list[tuple[str, list[str], dict[str, str]]], bool]


def run_scenarios(
    events: int, scenarios: list[Scenario], timer: Callable[[list[str], dict[str, str]], tuple[float, float]]
) -> list[Step]:
    """Each scenario's commands in turn, timed by timer (seconds, peak MB); the reported steps, each printed as it
    ends."""
    steps = []
    for scenario, commands, reported in scenarios:
        for name, command, env in commands:
            seconds, peak_mb = timer(command, env)
            if reported:
                keep_run_results(command, events, scenario)
                steps.append(Step(events, scenario, name, seconds, peak_mb))
                print(f"  {events:>10,} events  {scenario:<22} {name:<14} {seconds:7.1f} s  {peak_mb:7.0f} MB"
                      f"{rows_parsed(command, env)}", flush=True)  # fmt: skip
    return steps


def keep_run_results(command: list[str], events: int, scenario: str) -> None:
    """After a dbt build: its run_results.json (each node's time) copied into bench/results/, since the build's
    own folder is deleted with the run's scratch folder: a figure that missed its target is then explained by node
    without running it again (hours at 100M)."""
    if "build" not in command:
        return
    found = Path(command[command.index("--target-path") + 1]) / "run_results.json"
    if found.is_file():
        RESULTS_DIR.mkdir(parents=True, exist_ok=True)
        slug = "".join(c if c.isalnum() else "-" for c in scenario).strip("-")
        shutil.copyfile(found, RESULTS_DIR / f"run-results-{RUN_STAMP}-{events}-{slug}.json")


def rows_parsed(command: list[str], env: dict[str, str]) -> str:
    """After a dbt build on DuckDB: the event rows it parsed (stg_app__events.parsed_in_build), the figure a daily
    run's cost follows."""
    if "build" not in command or "--target" in command or "TOTANGO_DUCKDB_PATH" not in env:
        return ""
    target = Path(command[command.index("--target-path") + 1])
    invocation = json.loads((target / "run_results.json").read_text(encoding="utf-8"))["metadata"]["invocation_id"]
    with duckdb.connect(env["TOTANGO_DUCKDB_PATH"], read_only=True) as connection:
        parsed = connection.execute(
            "select count(*) from staging.stg_app__events where parsed_in_build = ?", [invocation]
        ).fetchone()[0]
    return f"  ({parsed:,} event rows parsed)"


def measure_spark(events: int, data: Path, work: Path, daily: bool) -> list[Step]:
    """The full run on Spark and, with daily, its daily runs as DuckDB's are measured (no target)."""
    folders = layouts(data, work / "spark-raw")
    scenarios = [(SPARK_SCENARIO, spark_pipeline(folders["file-day1"], work, "file"), True)]
    if daily:
        scenarios += [
            ("daily, one file, Spark", spark_pipeline(folders["file-day2"], work, "file"), True),
            ("yesterday, Spark", spark_pipeline(folders["folder-day1"], work, "folder"), False),
            ("daily, folder, Spark", spark_pipeline(folders["folder-day2"], work, "folder"), True),
        ]
    return run_scenarios(events, scenarios, timed_tree)


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
    return run_scenarios(events, scenarios, timed)


def verdict(figure: float, target: float) -> str:
    return f"{'met' if figure <= target else 'missed'} ({figure / target:.2f} x)"


SPARK_SCENARIOS = (SPARK_SCENARIO, "daily, one file, Spark", "daily, folder, Spark")


def totals_of(steps: list[Step], events: int) -> dict[str, float]:
    """Each scenario's time at one size (check + build + export)."""
    totals: dict[str, float] = {}
    for step in steps:
        if step.events == events:
            totals[step.scenario] = totals.get(step.scenario, 0.0) + step.seconds
    return totals


def targets(steps: list[Step], events: int, fixed: float, new_events: int, days: int) -> list[str]:
    """Each target of issue 17 against its figure, for the scenarios measured at this size."""
    totals = totals_of(steps, events)
    floor = totals.get("floor")
    peak = max(x.peak_mb for x in steps if x.events == events and x.scenario not in ("floor", *SPARK_SCENARIOS))
    lines = [f"{events:,} events{f' in {days} day files' if days else ''}, {new_events:,} new:"]
    if days:
        daily = totals["daily run, folder"]
        lines.append(f"- daily run, a new day file beside {days}: {daily:.1f} s against start-up + 15 s = "
                     f"{fixed + 15:.1f} s: {verdict(daily, fixed + 15)}")  # fmt: skip
    else:
        lines += [
            f"- daily run, one file re-delivered: {totals['daily run, one file']:.1f} s against 1.0 x floor "
            f"{floor:.1f} s + start-up {fixed:.1f} s = {floor + fixed:.1f} s: "
            f"{verdict(totals['daily run, one file'], floor + fixed)}",
            f"- daily run, events as a folder: {totals['daily run, folder']:.1f} s against start-up + 5 s = "
            f"{fixed + 5:.1f} s: {verdict(totals['daily run, folder'], fixed + 5)}",
            f"- full run from nothing: {totals['full run']:.1f} s against 2 x floor + start-up = "
            f"{2 * floor + fixed:.1f} s: {verdict(totals['full run'], 2 * floor + fixed)}",
        ]
    lines.append(f"- peak memory {peak:.0f} MB against {MEMORY_TARGET_MB} MB: {verdict(peak, MEMORY_TARGET_MB)}")
    spark = {scenario: totals[scenario] for scenario in SPARK_SCENARIOS if scenario in totals}
    if spark:
        spark_peak = max(x.peak_mb for x in steps if x.events == events and x.scenario in SPARK_SCENARIOS)
        duckdb_names = {SPARK_SCENARIO: "full run", "daily, one file, Spark": "daily run, one file",
                        "daily, folder, Spark": "daily run, folder"}  # fmt: skip
        lines.append("- on Spark, beside DuckDB (no target): " + "; ".join(
            f"{scenario} {seconds:.1f} s (DuckDB {totals.get(duckdb_names[scenario], 0):.1f} s)"
            for scenario, seconds in spark.items()
        ) + f"; peak memory {spark_peak:.0f} MB (dbt and its JVM)")  # fmt: skip
    return lines


def report(steps: list[Step], fixed: float, new_events: int, days: int) -> str:
    lines = ["| events | scenario | step | wall (s) | peak memory (MB) | events/s |",
             "| ---: | --- | --- | ---: | ---: | ---: |"]  # fmt: skip
    for step in steps:
        lines.append(f"| {step.events:,} | {step.scenario} | {step.name} | {step.seconds:.1f} | {step.peak_mb:.0f} "
                     f"| {step.events_per_second:,.0f} |")  # fmt: skip
    lines += ["", f"dbt fixed start-up (full build of 1,000 events): {fixed:.1f} s"]
    for events in sorted({step.events for step in steps}):
        lines += targets(steps, events, fixed, new_events, days)
    daily = {events: totals_of(steps, events).get("daily run, folder") for events in {step.events for step in steps}}
    measured = sorted((events, seconds) for events, seconds in daily.items() if seconds)
    if len(measured) >= 2:
        (small, small_s), (large, large_s) = measured[0], measured[-1]
        lines.append(f"daily run, folder: {small_s:.1f} s at {small:,} events of history, {large_s:.1f} s at "
                     f"{large:,} ({large / small:.0f} x the history, {large_s / small_s:.2f} x the time)")  # fmt: skip
    return "\n".join(lines)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--events", type=int, nargs="+", default=[1_000_000, 10_000_000])
    parser.add_argument("--new", type=int, default=100_000, help="new events of the daily run (default 100,000)")
    parser.add_argument("--days", type=int, default=0, help="history as this many day files: folder runs only")
    parser.add_argument(
        "--grow-by",
        type=int,
        default=0,
        help="with --days: build the history this many day files at a time, as a feed received it",
    )
    parser.add_argument("--data", type=Path, default=PROJECT_DIR / "bench" / "data")
    parser.add_argument("--no-spark", action="store_true", help="leave out the runs on Spark")
    parser.add_argument("--spark-events", type=int, default=1_000_000, help="the size run on Spark too (default 1M)")
    parser.add_argument("--spark-daily", action="store_true", help="time Spark's daily runs too, not only its full")
    parser.add_argument(
        "--keep",
        type=Path,
        help="work in this new folder and keep it (databases, outputs, dbt targets): a 100M history takes hours to "
        "build, and a later change is measured by running its daily run again on a copy of the database",
    )
    args = parser.parse_args()
    if args.keep is not None and args.keep.exists():
        print(f"--keep {args.keep}: already exists; name a new folder", file=sys.stderr)
        return 2
    steps: list[Step] = []
    place = contextlib.nullcontext(args.keep) if args.keep else tempfile.TemporaryDirectory(prefix="totango-bench-")
    with place as scratch:
        print("dbt fixed start-up:", flush=True)
        tiny = measure(1000, generate(1000, 10, args.data), Path(scratch) / "tiny", with_daily=False)
        fixed = next(step.seconds for step in tiny if step.name == "dbt build")
        for events in args.events:
            print(f"{events:,} events:", flush=True)
            work = Path(scratch) / str(events)
            if args.days:
                steps += measure_days(events, generate(events, args.new, args.data, args.days), work, args.grow_by)
            else:
                steps += measure(events, generate(events, args.new, args.data), work)
                if events == args.spark_events and not args.no_spark:
                    steps += measure_spark(events, generate(events, args.new, args.data), work, args.spark_daily)
            if args.keep is None:
                shutil.rmtree(work)
    table = report(steps, fixed, args.new, args.days)
    print()
    print(table)
    RESULTS_DIR.mkdir(parents=True, exist_ok=True)
    (RESULTS_DIR / f"bench-{RUN_STAMP}.md").write_text(table + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
