"""The Spark target (issue 12): the same models built on Apache Spark (dbt-spark's session method, PySpark in the dbt
process) give the DuckDB build's files byte for byte, on the sample (seed mode: dbt seed loads the seeds) and on the
hand-made exports of the rules (folder mode: Spark reads the CSV files itself), and the export of a Spark build
keeps its promises: each event sent once, the data-issues record, the formula guard, splitting, a refusal when the
build did not finish.

Spark needs seconds per statement on a small machine (about two minutes per build here; the tests' builds run the
JVM's quick compiler only, pipeline.SPARK_TEST_JAVA_OPTIONS, a fifth less CPU on tiny data), so each input is built
once, each in its own warehouse: the sample, exported three ways, then the rules' exports and the hostile values
together (one folder: the rules' ids prefixed so that no id of one meets the other's), the odd names
(test_odd_names.py), the readers' traps (test_raw_readers.py) and two days of day files. The readers' traps keep
a world of their own: their accounts file ends lines with CR alone and their users are a Parquet file, where the
hostile values' files are CSV with CRLF line ends, and Spark reads a folder of CSV files with one line separator.
Each world is a class of its own, so that `make test` (pytest-xdist, --dist loadscope) can give the worlds to both
processes; each Spark build is a process of its own with its own warehouse and catalog, so two never meet. Every
dbt test and unit test runs in the sample build and in the first day's; the others leave the unit tests out (they
mock their inputs, so they do not depend on the exports). make test installs the Spark packages; without them, or
without Java, these tests are skipped, saying which is missing.
"""

from __future__ import annotations

import csv
import importlib.util
import io
import json
import shutil
import unicodedata
from dataclasses import dataclass
from pathlib import Path

import duckdb
import pytest
import test_hostile_values as hostile
import test_odd_names as odd
import test_unicode_forms as unicode_forms
from pipeline import PipelineRun, build_and_export, export, write_raw_exports
from test_folder_mode import sent_event_ids
from test_incremental_days import Days, event_row
from test_raw_readers import readers_world
from test_rules import ACCOUNTS, EVENTS, SUBSCRIPTIONS, USERS

DATA_FILES = ["accounts.csv", "users.csv", "usage.csv", "data_issues.csv"]
# A limit that splits the sample's usage and data issues into parts.
SPLIT_MB = "0.005"

pytestmark = [
    pytest.mark.slow,  # left out by make test-fast
    pytest.mark.skipif(
        importlib.util.find_spec("pyspark") is None or importlib.util.find_spec("dbt.adapters.spark") is None,
        reason="pyspark and dbt-spark are not installed: make test installs them (requirements-spark.txt)",
    ),
    pytest.mark.skipif(shutil.which("java") is None, reason="no java on the PATH: Spark needs Java 17"),
]


# The unit tests mock their inputs, so they do not depend on the exports: the sample's build runs them, the other
# worlds' builds leave them out.
WITHOUT_UNIT_TESTS = ("--exclude-resource-type", "unit_test")


@dataclass(frozen=True)
class SampleOnSpark:
    build: PipelineRun  # the sample's build on Spark, exported
    again: PipelineRun  # a second export of the sample build, into another folder
    split: PipelineRun  # an export of every event again (--full) with a small file size limit
    warehouse_copy: Path  # a copy of the Parquet files the sample build left, taken before its later exports


# The id columns of the raw exports: the rules' ids get a prefix in the world they share with the hostile values,
# whose ids (S1, U1, E1...) are the same.
ID_COLUMNS = ("account_id", "parent_account_id", "subscription_id", "user_id", "event_id")
RULES_ID_PREFIX = "R-"


def rules_exports() -> dict[str, list[dict[str, str]]]:
    """The rules' exports (test_rules.py) as rows, each id given RULES_ID_PREFIX inside its padding (" DUP " becomes
    " R-DUP "; a blank id stays blank), so that they meet none of the hostile values' ids: every reference between
    the rules' rows (parent, account, user) keeps pointing where it pointed."""

    def prefixed(column: str, value: str) -> str:
        if column not in ID_COLUMNS or not value.strip():
            return value
        start = len(value) - len(value.lstrip())
        return value[:start] + RULES_ID_PREFIX + value[start:]

    texts = {"raw_crm_accounts": ACCOUNTS, "raw_crm_subscriptions": SUBSCRIPTIONS, "raw_app_users": USERS,
             "raw_app_events": EVENTS}  # fmt: skip
    return {name: [{column: prefixed(column, value) for column, value in row.items()}
                   for row in csv.DictReader(io.StringIO(text))] for name, text in texts.items()}  # fmt: skip


def assert_spark_gives_the_duckdb_files(base: Path, raw: Path, dbt_vars: dict | None = None) -> PipelineRun:
    """The exports in folder raw built and exported on Spark (its own warehouse: a warehouse holds its feed's copy
    of the ledger) and on DuckDB: every data file the same bytes. Returns the Spark run."""
    on_spark = build_and_export(base / "spark", raw_dir=raw, dbt_vars=dbt_vars, spark_warehouse=base / "warehouse",
                                dbt_args=WITHOUT_UNIT_TESTS)  # fmt: skip
    on_duckdb = build_and_export(base / "duckdb", raw_dir=raw, dbt_vars=dbt_vars)
    for name in DATA_FILES:
        assert (on_spark.out / name).read_bytes() == (on_duckdb.out / name).read_bytes(), name
    return on_spark


def hostile_exports() -> dict[str, list[dict[str, str]]]:
    """The odd and hostile values of issue 9 (test_hostile_values.py): where the engines' regular expressions, date
    parsing, rounding and Unicode handling could part; with them the two Unicode spellings of one text
    (test_unicode_forms.py), which Spark reads in NFC through ICU4J, DuckDB through nfc_normalize."""
    events = [hostile.event_row(event) for event in hostile.EVENTS]
    exports = {"raw_crm_accounts": hostile.ACCOUNTS, "raw_crm_subscriptions": hostile.SUBSCRIPTIONS,
               "raw_app_users": hostile.USERS, "raw_app_events": events}  # fmt: skip
    return {name: rows + unicode_forms.EXPORTS[name] for name, rows in exports.items()}


def rules_and_hostile_exports() -> dict[str, list[dict[str, str]]]:
    """One world for two: the hostile values, then the rules' rows (their ids prefixed), in one CSV file per raw
    export. Neither world's ids nor emails meet the other's (a user's email counts per product account), so each
    world's rows give the files they give alone."""
    hostile_rows, rules_rows = hostile_exports(), rules_exports()

    def ids(exports: dict[str, list[dict[str, str]]]) -> set[str]:
        # As the build compares ids at their loosest: trimmed, in NFC, in any case.
        return {unicodedata.normalize("NFC", row[column]).strip().casefold() for rows in exports.values()
                for row in rows for column in ID_COLUMNS if row.get(column, "").strip()}  # fmt: skip

    shared = ids(hostile_rows) & ids(rules_rows)
    assert not shared, f"the rules' ids meet the hostile values' ids, so one world would change the other: {shared}"
    return {name: hostile_rows[name] + rules_rows[name] for name in hostile_rows}


def manifest_files(run: PipelineRun) -> list[dict[str, object]]:
    return json.loads((run.out / "manifest.json").read_text(encoding="utf-8"))["files"]


class TestTheSampleOnSpark:
    """The sample in seed mode: one Spark build (every dbt test and unit test), exported three times."""

    @pytest.fixture(scope="class")
    def sample_on_spark(self, tmp_path_factory: pytest.TempPathFactory) -> SampleOnSpark:
        base = tmp_path_factory.mktemp("spark-sample")
        warehouse = base / "spark-warehouse"
        sample = build_and_export(base / "sample", spark_warehouse=warehouse)
        again = PipelineRun(sample.db, sample.target, base / "sample-again", warehouse)
        assert export(again).returncode == 0
        split = PipelineRun(sample.db, sample.target, base / "sample-split", warehouse)
        assert export(split, "--full", "--max-file-mb", SPLIT_MB).returncode == 0
        warehouse_copy = base / "sample-warehouse"
        shutil.copytree(warehouse, warehouse_copy, ignore=shutil.ignore_patterns("metastore_db", "*.log"))
        return SampleOnSpark(sample, again, split, warehouse_copy)

    def test_every_dbt_test_and_unit_test_passes_on_spark_as_on_duckdb(
        self, sample_on_spark: SampleOnSpark, sample_run: PipelineRun
    ) -> None:
        def statuses(run: PipelineRun) -> dict[str, str]:
            # A data test's id ends in a hash of its arguments, which hold the engine's quotes: left out.
            results = json.loads(run.run_results.read_text())["results"]
            return {r["unique_id"].rsplit(".", 1)[0] if r["unique_id"].startswith("test.") else r["unique_id"]:
                    r["status"] for r in results}  # fmt: skip

        on_spark, on_duckdb = statuses(sample_on_spark.build), statuses(sample_run)
        assert on_spark == on_duckdb
        assert sum(1 for unique_id in on_spark if unique_id.startswith("unit_test.")) >= 4

    def test_spark_gives_the_duckdb_files_on_the_sample(
        self, sample_on_spark: SampleOnSpark, sample_run: PipelineRun
    ) -> None:
        for name in DATA_FILES:
            assert (sample_on_spark.build.out / name).read_bytes() == (sample_run.out / name).read_bytes(), name
        assert manifest_files(sample_on_spark.build) == manifest_files(sample_run)

    def test_a_spark_build_sends_each_event_once(self, sample_on_spark: SampleOnSpark) -> None:
        """The ledger (in the DuckDB file) knows the events of the first export, so the second sends none."""
        usage = manifest_files(sample_on_spark.build)[2]
        assert usage["name"] == "usage.csv"
        with duckdb.connect(str(sample_on_spark.build.db), read_only=True) as ledger:
            first_export = ledger.execute(
                "select count(*) from ledger.exported_events "
                "where run_id = (select min_by(run_id, started_at) from ledger.export_runs)"
            ).fetchone()[0]
        assert first_export == usage["rows"]
        assert not (sample_on_spark.again.out / "usage.csv").exists()
        assert [entry["name"] for entry in manifest_files(sample_on_spark.again)] == [
            "accounts.csv",
            "users.csv",
            "data_issues.csv",
        ]

    def test_split_files_of_a_spark_build_are_the_duckdb_parts(
        self, sample_on_spark: SampleOnSpark, sample_run: PipelineRun, tmp_path: Path
    ) -> None:
        # The DuckDB side exports from a copy of its database: the shared sample run's ledger stays as it is.
        copy = PipelineRun(db=tmp_path / "copy.duckdb", target=tmp_path / "target", out=tmp_path / "split")
        shutil.copy(sample_run.db, copy.db)
        assert export(copy, "--full", "--max-file-mb", SPLIT_MB).returncode == 0
        names = sorted(path.name for path in copy.out.glob("*.csv"))
        assert "usage-002.csv" in names and "data_issues-002.csv" in names
        assert sorted(path.name for path in sample_on_spark.split.out.glob("*.csv")) == names
        for name in names:
            assert (sample_on_spark.split.out / name).read_bytes() == (copy.out / name).read_bytes(), name

    def test_the_export_refuses_a_spark_build_that_did_not_finish(
        self, sample_on_spark: SampleOnSpark, tmp_path: Path
    ) -> None:
        """A build killed part-way leaves its `running` row last in audit.build_outcomes (appended, as Spark appends
        a file to a Parquet table): the export refuses, as it does after a DuckDB build."""
        warehouse = tmp_path / "warehouse"
        shutil.copytree(sample_on_spark.warehouse_copy, warehouse)
        outcomes = warehouse / "audit.db" / "build_outcomes"
        with duckdb.connect() as connection:
            connection.execute(
                f"copy (select max(build_number) + 1 as build_number, 'killed' as invocation_id, 'build' as command, "
                f"localtimestamp as started_at, null::timestamp as finished_at, 'running' as outcome, "
                f"null::varchar as failed_nodes from read_parquet('{outcomes}/*.parquet')) "
                f"to '{outcomes}/part-99999-killed.snappy.parquet' (format parquet)"
            )
        run = PipelineRun(db=tmp_path / "feed.duckdb", target=tmp_path / "target", out=tmp_path / "out",
                          spark_warehouse=warehouse)  # fmt: skip
        refused = export(run)
        assert refused.returncode == 1
        assert "did not finish" in refused.stderr
        assert not run.out.exists()


class TestTheRulesAndHostileValuesOnSpark:
    def test_spark_gives_the_duckdb_files_on_the_rules_exports_and_hostile_values(self, tmp_path: Path) -> None:
        """The rules' exports and the hostile values in one folder (rules_and_hostile_exports): one Spark build for
        the two worlds."""
        write_raw_exports(tmp_path / "raw", rules_and_hostile_exports())
        assert_spark_gives_the_duckdb_files(tmp_path, tmp_path / "raw")


class TestTheReadersTrapsOnSpark:
    def test_spark_reads_the_readers_traps_as_duckdb_does(self, tmp_path: Path) -> None:
        """Issue 16: Spark's CSV reader states the same dialect (lines starting with # are rows; CR line ends read),
        its Parquet reader passes nested extra columns by, and Hadoop's hidden names are the ones ignored on DuckDB."""
        readers_world(tmp_path / "raw")
        on_spark = assert_spark_gives_the_duckdb_files(tmp_path, tmp_path / "raw")
        assert sent_event_ids(on_spark) == ["#E2", "#E3", "E0"]


class TestOddNamesOnSpark:
    def test_spark_gives_the_duckdb_files_on_odd_names(self, tmp_path: Path) -> None:
        """Backticks, not DuckDB's double quotes, around names that hold quotes; the build's own file columns apart
        from the export's filename and source_file."""
        odd.odd_world(tmp_path / "raw")
        assert_spark_gives_the_duckdb_files(tmp_path, tmp_path / "raw", dbt_vars=odd.QUOTED_VARS)


class TestDailyBuildsOnSpark:
    def test_daily_builds_on_spark_give_the_duckdb_files_day_after_day(self, tmp_path: Path) -> None:
        """The events' daily path on Spark (each day file parsed once, partitions by file hash, the ledger's copy in
        the warehouse): two days of day files, exported each day, give DuckDB's files byte for byte, and day 2 sends
        only what day 1 did not (an event whose user arrived on day 2, and the new file's). Day 1's Spark build runs
        the unit tests too: the only Spark build in folder mode that does (they mock the raw sources of each mode);
        day 2's leaves them out, as they do not depend on the day."""
        worlds = {engine: Days(tmp_path / engine) for engine in ("duckdb", "spark")}
        worlds["spark"].run = PipelineRun(worlds["spark"].run.db, worlds["spark"].run.target,
                                          worlds["spark"].run.out, tmp_path / "spark" / "spark-warehouse")  # fmt: skip
        days = [
            ("remove user", [event_row("E1", "U1", ""), event_row("E2", "U3", ""), event_row("E3", "U2", "bad time")]),
            ("restore users", [event_row("E3", "U2", ""), event_row("E4", "U1", ""), event_row("E1", "U1", "")]),
        ]
        for day, (user_change, rows) in enumerate(days, start=1):
            for engine, world in worlds.items():
                world.apply(user_change, "U3")
                world.apply("add file", rows)
                world.build(*(WITHOUT_UNIT_TESTS if engine == "spark" and day > 1 else ()))
                assert export(PipelineRun(world.run.db, world.run.target, world.base / f"day{day}",
                                          world.run.spark_warehouse)).returncode == 0  # fmt: skip
            for name in DATA_FILES:
                assert (tmp_path / "spark" / f"day{day}" / name).read_bytes() == (
                    tmp_path / "duckdb" / f"day{day}" / name
                ).read_bytes(), (day, name)
        assert sent_event_ids(worlds["spark"].run) == ["E2", "E3", "E4"]
