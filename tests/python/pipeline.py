"""Running the pipeline in tests: dbt and export.py on the sample data (or a hand-made folder), in a temporary place.

Nothing here touches the project's own totango.duckdb, spark-warehouse/, target/ or output/: every run gets its own
database file (and, on Spark, warehouse folder), dbt target folder and output folder under pytest's tmp_path.
"""

from __future__ import annotations

import csv
import json
import os
import re
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import dbt_in_process
import duckdb

from totango_feed.project import contract_columns

PROJECT_DIR = Path(__file__).resolve().parents[2]
SEEDS_DIR = PROJECT_DIR / "seeds"
BIN_DIR = Path(sys.executable).parent
RAW_EXPORTS = ("raw_crm_accounts", "raw_crm_subscriptions", "raw_app_users", "raw_app_events")
SPARK_TEST_JAVA_OPTIONS = "-XX:TieredStopAtLevel=1"
# dbt's own records of a build (manifest.json, run_results.json; dbt_in_process.py already leaves out the log file):
# nothing reads those of the many-day worlds' builds (the build that parsed or checked a row is read from the
# database).
NO_RECORDS = ("--no-write-json",)
# A daily build of the many-day worlds: dbt's unit tests left out (they mock their inputs, so nothing a day changes
# reaches them; they run in the sample build, seed mode, and test_folder_mode.py's builds, folder mode), and no
# records written.
DAILY_BUILD = ("build", "--exclude-resource-type", "unit_test", *NO_RECORDS)


@dataclass(frozen=True)
class PipelineRun:
    """Where one build and export put things."""

    db: Path
    target: Path
    out: Path
    # Set for a build on Spark (dbt target spark): its warehouse folder, which export.py reads; db is then the ledger.
    spark_warehouse: Path | None = None

    @property
    def run_results(self) -> Path:
        return self.target / "run_results.json"


def dbt(
    run: PipelineRun,
    *args: str,
    raw_dir: Path | None = None,
    separate_process: bool = False,
    all_unit_tests: bool = False,
) -> subprocess.CompletedProcess[str]:
    """Run a dbt command against this run's database; the output is returned, not printed. On DuckDB in this
    process (dbt_in_process.py: seconds faster each, and dbt's unit tests run once per kind of run unless
    all_unit_tests), unless separate_process; on Spark always in a process of its own (its JVM)."""
    options = ["--target-path", str(run.target), "--log-path", str(run.target / "logs")]
    env = {"TOTANGO_DUCKDB_PATH": str(run.db), "DBT_PROFILES_DIR": str(PROJECT_DIR)}
    # Folder mode through the environment, as `make build RAW_DIR=...` does: no quoting of the path anywhere.
    env["TOTANGO_RAW_DIR"] = str(raw_dir) if raw_dir is not None else ""
    if run.spark_warehouse is None and not separate_process:
        return dbt_in_process.run(PROJECT_DIR, (*args, *options), env, all_unit_tests=all_unit_tests)
    command = [str(BIN_DIR / "dbt"), *args, *options]
    if run.spark_warehouse is not None:
        command += ["--target", "spark"]
        env["TOTANGO_SPARK_DIR"] = str(run.spark_warehouse)
        # The JVM's quick compiler only (C1): on the tests' tiny data a Spark build then costs about a fifth less
        # CPU (docs/testing.md); compiled code gives the same results at any tier.
        env["TOTANGO_SPARK_JAVA_OPTIONS"] = SPARK_TEST_JAVA_OPTIONS
    return subprocess.run(command, cwd=PROJECT_DIR, env=dict(os.environ, **env), capture_output=True, text=True,
                          check=False)  # fmt: skip


def assert_every_unit_test_passed(run: PipelineRun) -> None:
    """Every dbt unit test of the project (as the build's manifest.json lists them) ran in the run's last dbt command
    and passed: the builds of the grown-file and incremental-day worlds leave them out, so the builds that run them
    say so."""
    unit_tests = json.loads((run.target / "manifest.json").read_text(encoding="utf-8"))["unit_tests"]
    results = json.loads(run.run_results.read_text(encoding="utf-8"))["results"]
    statuses = {result["unique_id"]: result["status"] for result in results if result["unique_id"] in unit_tests}
    assert unit_tests and statuses == dict.fromkeys(unit_tests, "pass"), statuses


def export(run: PipelineRun, *args: str) -> subprocess.CompletedProcess[str]:
    command = [
        sys.executable,
        str(PROJECT_DIR / "export.py"),
        "--db",
        str(run.db),
        "--out",
        str(run.out),
        *(["--spark-warehouse", str(run.spark_warehouse)] if run.spark_warehouse is not None else []),
        *args,
    ]
    return subprocess.run(command, cwd=PROJECT_DIR, capture_output=True, text=True, check=False)


def build_and_export(
    base: Path,
    raw_dir: Path | None = None,
    dbt_vars: dict | None = None,
    spark_warehouse: Path | None = None,
    dbt_args: tuple[str, ...] = (),
    *,
    all_unit_tests: bool = False,
) -> PipelineRun:
    """dbt build (seeds, or the folder raw_dir; dbt_vars as --vars; on Spark with spark_warehouse) then export.py;
    fails the test with dbt's output if either fails."""
    run = PipelineRun(db=base / "totango.duckdb", target=base / "target", out=base / "output",
                      spark_warehouse=spark_warehouse)  # fmt: skip
    result = dbt(run, "build", *(["--vars", json.dumps(dbt_vars)] if dbt_vars else []), *dbt_args, raw_dir=raw_dir,
                 all_unit_tests=all_unit_tests)  # fmt: skip
    assert result.returncode == 0, result.stdout[-4000:] + result.stderr[-2000:]
    exported = export(run)
    assert exported.returncode == 0, exported.stdout + exported.stderr
    return run


def seed_mode_build_and_export(base: Path, raw_dir: Path) -> PipelineRun:
    """The pipeline in seed mode on the exports in raw_dir: a copy of the project (the project's own seeds/ stay
    untouched) whose seeds are those files, built with `dbt build` and exported from the copy."""
    project = base / "project"
    (project / "tests").mkdir(parents=True)
    for name in ("models", "macros", "seeds"):
        shutil.copytree(PROJECT_DIR / name, project / name)
    for path in [*PROJECT_DIR.glob("*.py"), *PROJECT_DIR.glob("*.yml"), *PROJECT_DIR.glob("tests/*.sql")]:
        shutil.copy(path, project / path.relative_to(PROJECT_DIR))
    for name in RAW_EXPORTS:
        shutil.copy(raw_dir / f"{name}.csv", project / "seeds" / f"{name}.csv")
    run = PipelineRun(db=base / "totango.duckdb", target=base / "target", out=base / "output")
    command = [str(BIN_DIR / "dbt"), "build", "--target-path", str(run.target), "--log-path", str(run.target)]
    env = dict(os.environ, TOTANGO_DUCKDB_PATH=str(run.db), DBT_PROFILES_DIR=str(project), TOTANGO_RAW_DIR="")
    built = subprocess.run(command, cwd=project, env=env, capture_output=True, text=True, check=False)
    assert built.returncode == 0, built.stdout[-4000:]
    exported = subprocess.run([sys.executable, str(project / "export.py"), "--db", str(run.db), "--out", str(run.out)],
                              cwd=project, capture_output=True, text=True, check=False)  # fmt: skip
    assert exported.returncode == 0, exported.stdout + exported.stderr
    return run


def write_raw_exports(folder: Path, exports: dict[str, list[dict[str, str]]]) -> None:
    """Hand-made raw exports as CSV files (contract columns, blank where a row leaves one out). CRLF line ends,
    so that csv quotes a value holding a carriage return (a bare one makes a broken file, which is
    check_exports.py's business, not these tests')."""
    folder.mkdir(parents=True, exist_ok=True)
    columns = contract_columns()
    for name, rows in exports.items():
        with (folder / f"{name}.csv").open("w", newline="", encoding="utf-8") as handle:
            writer = csv.DictWriter(
                handle, fieldnames=columns[name], lineterminator="\r\n", restval="", extrasaction="ignore"
            )
            writer.writeheader()
            writer.writerows(rows)


def starts_like_a_formula(value: str) -> bool:
    """Whether a spreadsheet would take a value for a formula (docs/contract/output-files.md): it starts with = + - @
    tab or CR and is not a plain number (-3 is the number it looks like)."""
    return value.startswith(("=", "+", "-", "@", "\t", "\r")) and not re.fullmatch(r"-?[0-9]+([.][0-9]+)?", value)


def read_csv(path: Path) -> list[dict[str, str]]:
    with path.open(newline="", encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def read_header(path: Path) -> list[str]:
    with path.open(newline="", encoding="utf-8") as handle:
        return next(csv.reader(handle))


def query(database: Path, sql: str) -> list[tuple]:
    """The rows of sql on the database file, opened read-only."""
    with duckdb.connect(str(database), read_only=True) as connection:
        return connection.execute(sql).fetchall()


def assert_as_built_from_nothing(run: PipelineRun, folder: Path, raw_dir: Path, compared: dict[str, str], *,
                                 dbt_args: tuple[str, ...] = (), label: str = "") -> None:  # fmt: skip
    """What a daily build holds is what a build from nothing gives: run's database (its ledger too) is copied into
    folder and built again with `dbt run --full-refresh` on the same exports (raw_dir, dbt_args), and each query of
    compared (name: sql) must give the same rows on both."""
    reference = PipelineRun(db=folder / "totango.duckdb", target=folder / "target", out=folder / "out")
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    shutil.copy(run.db, reference.db)
    built = dbt(reference, "run", "--full-refresh", *dbt_args, raw_dir=raw_dir)
    assert built.returncode == 0, built.stdout[-4000:]
    for name, sql in compared.items():
        assert query(run.db, sql) == query(reference.db, sql), f"{label}: {name} differ"
