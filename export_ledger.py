"""The export ledger: which usage events were already sent, and in which export, kept in the DuckDB database.

Totango counts a usage event on the day its file is loaded, so an event sent twice counts twice and an event
never sent is lost. The ledger lives in the schema `ledger` of the same database as the marts (dbt does not
touch it, and `dbt build --full-refresh` keeps it); delete the database and the ledger goes with it.

An export goes through three states, so that a crash at any point neither loses nor repeats events:
  1. its files are written under temporary names (nothing recorded; a crash here leaves only temporaries,
     which the next export removes, and sends the same events again);
  2. `record_run`: the run and its event ids are recorded in one transaction, status 'recorded';
  3. its files are renamed into place, manifest.json last, then `mark_published` sets status 'published'.
A run found still 'recorded' at the next export crashed between 2 and 3: `recover_unpublished` removes its
event ids from the ledger, so those events are sent again, and marks it 'abandoned'.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

import duckdb

SCHEMA_SQL = """
create schema if not exists ledger;
create table if not exists ledger.export_runs (
    run_id varchar primary key,
    started_at timestamp not null,
    published_at timestamp,
    status varchar not null,          -- recorded, published or abandoned
    out_dir varchar not null,
    is_full boolean not null,
    usage_rows bigint not null
);
-- No primary key: an index over millions of ids would cost more than it guards (a run records each of its
-- events once, from one temp table).
create table if not exists ledger.exported_events (
    event_id varchar not null,
    run_id varchar not null
);
"""


def ensure_schema(connection: duckdb.DuckDBPyConnection) -> None:
    connection.execute(SCHEMA_SQL)


def recover_unpublished(connection: duckdb.DuckDBPyConnection) -> list[str]:
    """Un-record the runs that were recorded but never published (a crash); return their ids."""
    run_ids = [row[0] for row in connection.execute(
        "select run_id from ledger.export_runs where status = 'recorded' order by run_id"
    ).fetchall()]  # fmt: skip
    if run_ids:
        connection.execute("begin transaction")
        connection.execute("delete from ledger.exported_events where run_id in (select unnest(?))", [run_ids])
        connection.execute("update ledger.export_runs set status = 'abandoned' where run_id in (select unnest(?))",
                           [run_ids])  # fmt: skip
        connection.execute("commit")
    return run_ids


def unsent_filter(send_all: bool) -> str:
    """A where clause on int_usage_rows: every event (--full, or no ledger yet), else those no run recorded."""
    if send_all:
        return "true"
    return "event_id not in (select event_id from ledger.exported_events)"


@dataclass(frozen=True)
class Run:
    run_id: str
    started_at: datetime
    out_dir: str
    is_full: bool


def record_run(connection: duckdb.DuckDBPyConnection, run: Run, events_table: str) -> int:
    """Record the run and every event id in events_table, in one transaction. Returns the events recorded."""
    connection.execute("begin transaction")
    try:
        usage_rows = connection.execute(f"select count(*) from {events_table}").fetchone()[0]
        connection.execute(
            "insert into ledger.export_runs values (?, ?, null, 'recorded', ?, ?, ?)",
            [run.run_id, run.started_at, run.out_dir, run.is_full, usage_rows],
        )
        connection.execute(f"insert into ledger.exported_events select event_id, ? from {events_table}", [run.run_id])
        connection.execute("commit")
    except BaseException:
        connection.execute("rollback")
        raise
    return usage_rows


def mark_published(connection: duckdb.DuckDBPyConnection, run_id: str, published_at: datetime) -> None:
    connection.execute(
        "update ledger.export_runs set status = 'published', published_at = ? where run_id = ?",
        [published_at, run_id],
    )
