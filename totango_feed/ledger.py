"""The export ledger: which usage events were already sent, in which export and which file, kept in the DuckDB
database beside the marts (schema `ledger`; dbt never touches it, `dbt build --full-refresh` keeps it).

Totango counts a usage event on the day its file is loaded, so an event sent twice counts twice and an event
never sent is lost. An event is sent because its id is not in this ledger, never because of its timestamp.

An export goes through these states, so that a crash at any point neither loses nor repeats an event:
  started    the run is known (`start_run`) before any file is written; a crash now leaves only temporaries,
             which the next export removes wherever they are (`runs_in_state('started')`), then marks the run
             abandoned: its events were never recorded, so they are sent by a later export;
  recorded   `record_run`: the run's files (name, rows, bytes, SHA-256) and every event id it sends, with the
             file it went into (for whoever asks later where an event went), in one transaction. This is the
             commit point: from here the next export finishes the publish (recovery.py) instead of
             undoing it;
  published  every file is in place, manifest.json last;
  abandoned  a started run that never recorded.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

import duckdb

from totango_feed.sql import schema_sql

SCHEMA_SQL = schema_sql(
    "ledger",
    {
        "export_runs": {
            "run_id": "varchar primary key",
            "started_at": "timestamp not null",
            "published_at": "timestamp",
            "status": "varchar not null",  # started, recorded, published or abandoned
            "out_dir": "varchar not null",
            "is_full": "boolean not null",
            "usage_rows": "bigint not null",
        },
        # No primary key: an index over millions of ids would cost more than it guards (a run records each of its
        # events once, from one temp table; --full records them again, on purpose).
        "exported_events": {"event_id": "varchar not null", "run_id": "varchar not null"},
        "export_files": {
            "run_id": "varchar not null",
            "name": "varchar not null",
            "rows": "bigint not null",
            "bytes": "bigint not null",
            "sha256": "varchar not null",
        },
    },
    added={
        "export_runs": {
            # The dbt build each run exported (audit.build_outcomes.invocation_id): a run sends every event that
            # build held to send, which lets the next build know them sent without asking about each (macro
            # mark_exported_events).
            "build_invocation_id": "varchar",
            # Whether that build read the seeds (the sample, in seed mode) or a folder of exports: one ledger holds
            # one feed's event ids, and an export of the other kind would take its events for the first's
            # (export.py refuses that).
            "built_from_seeds": "boolean",
        },
        "exported_events": {
            # The file each event went into, so that recovery can un-record exactly the events of a file that never
            # got into place (added after the first release: older ledgers gain the column, empty for their old
            # rows).
            "file_name": "varchar",
            # The raw row each event was sent as (the SHA-256 of its file and its row there), so that the build
            # knows which of an event's rows was the one sent (models/intermediate/usage/int_events_checked.sql;
            # empty for older rows).
            "source_file_hash": "varchar",
            "source_file_row_number": "bigint",
            # The Totango Account ID it was sent under, for the note on an event sent under its user's product
            # account where it named another (which a later build states without looking the user up again).
            "sent_account_id": "varchar",
        },
    },
)


# Changes to what the ledger holds, each made once (ledger.upgrades keeps which). Releases before the build read every
# id in Unicode's composed form (NFC) recorded ids as written: an event id written with a separate accent (as macOS
# writes José) must be found again by the id the build now reads, or the event would be sent a second time.
UPGRADES = {
    "event_ids_in_nfc": (
        "update ledger.exported_events set event_id = nfc_normalize(event_id) where event_id != nfc_normalize(event_id)"
    ),
}


def ensure_schema(connection: duckdb.DuckDBPyConnection) -> None:
    connection.execute(SCHEMA_SQL)
    connection.execute("create table if not exists ledger.upgrades (name varchar primary key, done_at timestamp)")
    done = {row[0] for row in connection.execute("select name from ledger.upgrades").fetchall()}
    for name, statement in UPGRADES.items():
        if name not in done:
            connection.execute("begin transaction")
            connection.execute(statement)
            connection.execute("insert into ledger.upgrades values (?, current_timestamp)", [name])
            connection.execute("commit")


def has_ledger(connection: duckdb.DuckDBPyConnection) -> bool:
    found = connection.execute(
        "select count(*) from duckdb_tables() where schema_name = 'ledger' and table_name = 'exported_events'"
    ).fetchone()
    return bool(found and found[0])


def unsent_filter(send_all: bool, events_alias: str) -> str:
    """A where clause on a relation with an event_id column: every event (--full, or no ledger yet), else those
    no run recorded. `not exists`, never `not in`, which a single null id would turn into 'nothing is unsent'."""
    if send_all:
        return "true"
    return f"not exists (select 1 from ledger.exported_events as sent where sent.event_id = {events_alias}.event_id)"


def holds_events(connection: duckdb.DuckDBPyConnection) -> bool:
    """Whether any run ever recorded an event id (ensure_schema made the table): none before the first export that
    sent usage, and then no event can be in the ledger, so none needs looking up."""
    return connection.execute("select exists (select 1 from ledger.exported_events)").fetchone()[0]


@dataclass(frozen=True)
class Run:
    run_id: str
    started_at: datetime
    out_dir: str
    is_full: bool
    build_invocation_id: str | None = None
    built_from_seeds: bool | None = None


@dataclass(frozen=True)
class RecordedFile:
    name: str
    rows: int
    bytes: int
    sha256: str


def start_run(connection: duckdb.DuckDBPyConnection, run: Run) -> None:
    """Make the run known before it writes anything, so that its temporaries can be found if it is killed."""
    connection.execute(
        "insert into ledger.export_runs (run_id, started_at, published_at, status, out_dir, is_full, usage_rows, "
        "build_invocation_id, built_from_seeds) values (?, ?, null, 'started', ?, ?, 0, ?, ?)",
        [run.run_id, run.started_at, run.out_dir, run.is_full, run.build_invocation_id, run.built_from_seeds],
    )


def record_run(connection: duckdb.DuckDBPyConnection, run_id: str, files: list[RecordedFile], events_table: str) -> int:
    """Record the run's files and every event id in events_table (columns event_id, file_name, source_file_hash,
    source_file_row_number, sent_account_id), in one transaction. Returns the events recorded."""
    connection.execute("begin transaction")
    try:
        usage_rows = connection.execute(f"select count(*) from {events_table}").fetchone()[0]
        connection.executemany(
            "insert into ledger.export_files values (?, ?, ?, ?, ?)",
            [[run_id, f.name, f.rows, f.bytes, f.sha256] for f in files],
        )
        connection.execute(
            "insert into ledger.exported_events "
            "(event_id, run_id, file_name, source_file_hash, source_file_row_number, sent_account_id) "
            "select event_id, ?, file_name, source_file_hash, source_file_row_number, sent_account_id "
            f"from {events_table}",
            [run_id],
        )
        connection.execute(
            "update ledger.export_runs set status = 'recorded', usage_rows = ? where run_id = ?", [usage_rows, run_id]
        )
        connection.execute("commit")
    except BaseException:
        connection.execute("rollback")
        raise
    return usage_rows


def set_status(connection: duckdb.DuckDBPyConnection, run_id: str, status: str, at: datetime | None = None) -> None:
    connection.execute(
        "update ledger.export_runs set status = ?, published_at = coalesce(?, published_at) where run_id = ?",
        [status, at, run_id],
    )


def mark_published(connection: duckdb.DuckDBPyConnection, run_id: str, published_at: datetime) -> None:
    set_status(connection, run_id, "published", published_at)


def runs_in_state(connection: duckdb.DuckDBPyConnection, status: str) -> list[tuple[str, str]]:
    """(run_id, out_dir) of every run in a state, oldest first."""
    return connection.execute(
        "select run_id, out_dir from ledger.export_runs where status = ? order by started_at, run_id", [status]
    ).fetchall()


def run_files(connection: duckdb.DuckDBPyConnection, run_id: str) -> list[RecordedFile]:
    rows = connection.execute(
        "select name, rows, bytes, sha256 from ledger.export_files where run_id = ? order by rowid", [run_id]
    ).fetchall()
    return [RecordedFile(*row) for row in rows]


def damage(connection: duckdb.DuckDBPyConnection) -> str | None:
    """What is wrong with a ledger that has lost what it knew (its events table dropped or emptied while its runs
    remain), or None. An export on such a ledger would send every event again, so it must stop instead."""
    tables = {row[0] for row in connection.execute(
        "select table_name from duckdb_tables() where schema_name = 'ledger'"
    ).fetchall()}  # fmt: skip
    if "export_runs" not in tables:
        return None
    if "exported_events" not in tables:
        return "the ledger has lost its table ledger.exported_events, though it lists earlier exports"
    runs = connection.execute(
        "select count(*) from ledger.export_runs as runs where status in ('recorded', 'published') "
        "and usage_rows > 0 and run_id not in (select distinct run_id from ledger.exported_events)"
    ).fetchone()[0]
    if runs:
        return f"the ledger lists {runs} export(s) that sent usage, but holds none of their event ids"
    return None


def other_feed(connection: duckdb.DuckDBPyConnection, from_seeds: bool, build_record: str) -> str | None:
    """What is wrong when the ledger's exports that sent usage were built from the other kind of raw exports (the
    seeds, or a folder) than this build: said for the person exporting, or None."""
    column = connection.execute(
        "select count(*) from duckdb_columns() where schema_name = 'ledger' and table_name = 'export_runs' "
        "and column_name = 'built_from_seeds'"
    ).fetchone()[0]
    if not column:
        return None
    # Exports made before built_from_seeds was kept: what their build read is in the build record (build_record, the
    # relation of audit.build_outcomes where this build's marts are: the DuckDB file, or a Spark warehouse), raw_dir
    # '' for the seeds. A record too old to say (no raw_dir) says nothing.
    try:
        connection.execute(f"select invocation_id, raw_dir from {build_record} limit 0")
        from_record = (
            f"(select bool_or(b.raw_dir = '') from {build_record} as b "
            "where b.invocation_id = r.build_invocation_id and b.raw_dir is not null)"
        )
    except duckdb.Error:
        from_record = "null"
    others = connection.execute(
        "select count(*) from ledger.export_runs as r where status in ('recorded', 'published') and usage_rows > 0 "
        f"and coalesce(r.built_from_seeds, {from_record}) = ?",
        [not from_seeds],
    ).fetchone()[0]
    if not others:
        return None
    theirs, ours = (
        ("the seeds (the sample)", "a folder of exports")
        if from_seeds is False
        else ("a folder of exports", "the seeds")
    )
    return (
        f"the ledger holds {others} export(s) of events read from {theirs}, and this build read {ours}: the events "
        "of one would be taken for those of the other (an id of your own export sent by the sample's export would "
        "never be sent). Keep a database per feed: start this one anew (TOTANGO_DUCKDB_PATH=another file, or make "
        "clean), or, if both are the same feed, export with --same-feed."
    )
