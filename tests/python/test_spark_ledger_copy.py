"""The ledger's copy in a Spark warehouse (totango_feed/spark_ledger.py) without Spark: a copy holding a run this
ledger does not know made the build take that run's events for sent; the export removes it and refuses."""

from __future__ import annotations

from pathlib import Path

import duckdb
import pytest

from totango_feed import export as export_module
from totango_feed import ledger, spark_ledger
from totango_feed.export import ExportRefused

pytestmark = pytest.mark.edit_loop  # run by make test-fast too (docs/testing.md, the edit loop)


def record_run(connection: duckdb.DuckDBPyConnection, run_id: str, event_ids: list[str]) -> None:
    connection.execute(
        "insert into ledger.export_runs (run_id, started_at, published_at, status, out_dir, is_full, usage_rows) "
        "values (?, timestamp '2026-11-30 00:00:00', null, 'recorded', '/out', false, ?)",
        [run_id, len(event_ids)],
    )
    for event_id in event_ids:
        connection.execute("insert into ledger.exported_events (event_id, run_id) values (?, ?)", [event_id, run_id])


@pytest.fixture
def ledger_db(tmp_path: Path) -> duckdb.DuckDBPyConnection:
    connection = duckdb.connect(str(tmp_path / "feed.duckdb"))
    ledger.ensure_schema(connection)
    yield connection
    connection.close()


def test_the_copy_of_this_ledger_is_written_once_per_run(ledger_db: duckdb.DuckDBPyConnection, tmp_path: Path) -> None:
    record_run(ledger_db, "run-1", ["E1", "E2"])
    export_module.settle_earlier_runs(ledger_db, tmp_path / "warehouse")
    export_module.settle_earlier_runs(ledger_db, tmp_path / "warehouse")
    parts = sorted(spark_ledger.mirror_folder(tmp_path / "warehouse").iterdir())
    assert [part.name for part in parts] == ["part-run-1.parquet"]
    copied = duckdb.sql(f"select event_id from read_parquet('{parts[0]}') order by all").fetchall()
    assert copied == [("E1",), ("E2",)]


def test_a_copy_of_another_ledger_is_removed_and_the_export_refused(
    ledger_db: duckdb.DuckDBPyConnection, tmp_path: Path
) -> None:
    """The warehouse kept while the database was started anew: the runs it copied are not this ledger's."""
    warehouse = tmp_path / "warehouse"
    with duckdb.connect(str(tmp_path / "old.duckdb")) as old:
        ledger.ensure_schema(old)
        record_run(old, "old-run", ["E1"])
        spark_ledger.write_missing(old, warehouse)
    record_run(ledger_db, "run-1", ["E2"])
    with pytest.raises(ExportRefused, match=r"1 export\(s\) that this database's ledger does not know \(old-run"):
        export_module.settle_earlier_runs(ledger_db, warehouse)
    assert sorted(part.name for part in spark_ledger.mirror_folder(warehouse).iterdir()) == []
    export_module.settle_earlier_runs(ledger_db, warehouse)
    assert sorted(part.name for part in spark_ledger.mirror_folder(warehouse).iterdir()) == ["part-run-1.parquet"]
