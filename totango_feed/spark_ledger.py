"""The ledger's sent events where a build on Spark can read them. The ledger is a DuckDB file (ledger.py), which
Spark cannot open; a Spark build needs to know which events were sent, and as which raw row
(models/intermediate/usage/int_events_checked.sql). So after a build on Spark, export.py also writes each recorded
run's events as one Parquet file into the folder of the Spark table ledger.exported_events, which the build makes
(macro spark_ledger_mirror) and reads.

A run's file is written once, under a hidden name then renamed (Spark skips names starting with a dot), so Spark
never reads half a file. Every export writes the files of any recorded run that lacks one (a crash between
recording and writing leaves it to the next export): the ledger in DuckDB stays the truth, this is its copy. A file
of a run this ledger does not know (a warehouse kept while the database was started anew, or another database's)
made the build take that run's events for sent: export.py removes such files and refuses, so that the next build
reads the copy of this ledger only.
"""

from __future__ import annotations

import os
from pathlib import Path

import duckdb

from totango_feed.sql import sql_literal

COLUMNS = "event_id, run_id, source_file_hash, source_file_row_number, sent_account_id"


def mirror_folder(warehouse: Path) -> Path:
    return warehouse / "ledger.db" / "exported_events"


def recorded_runs(connection: duckdb.DuckDBPyConnection) -> list[str]:
    return [
        row[0]
        for row in connection.execute(
            "select run_id from ledger.export_runs where status in ('recorded', 'published') and usage_rows > 0 "
            "order by run_id"
        ).fetchall()
    ]


def remove_foreign_runs(connection: duckdb.DuckDBPyConnection, warehouse: Path) -> list[str]:
    """Remove the files of runs this ledger does not know from the copy; returns their run ids."""
    folder = mirror_folder(warehouse)
    if not folder.is_dir():
        return []
    known = set(recorded_runs(connection))
    foreign = []
    for path in sorted(folder.glob("part-*.parquet")):
        run_id = path.name.removeprefix("part-").removesuffix(".parquet")
        if run_id not in known:
            path.unlink()
            foreign.append(run_id)
    return foreign


def write_missing(connection: duckdb.DuckDBPyConnection, warehouse: Path) -> int:
    """Write the file of every recorded run with events that has none yet; returns how many were written."""
    folder = mirror_folder(warehouse)
    written = 0
    for run_id in recorded_runs(connection):
        final = folder / f"part-{run_id}.parquet"
        if final.exists():
            continue
        folder.mkdir(parents=True, exist_ok=True)
        temporary = folder / f".part-{run_id}.parquet.partial"
        connection.execute(
            f"copy (select {COLUMNS} from ledger.exported_events where run_id = {sql_literal(run_id)}) "
            f"to {sql_literal(str(temporary))} (format parquet)"
        )
        os.replace(temporary, final)
        written += 1
    return written
