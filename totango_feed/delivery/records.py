"""What was delivered where, in the DuckDB file beside the export ledger (schema delivery, made by deliver.py;
dbt and export.py never touch it). Keep the file: it is the memory that keeps a delivered file from being sent
again.

delivery.runs      one row per export run deliver.py took on: delivering (started), delivered (every file and
                   manifest.json in place) or skipped (--skip/--from, or the run left out on purpose); a run is
                   delivered to one destination only, so changing the drop never re-sends an export;
delivery.files     one row per file of a run: uploading (it may be partly written under its temporary name),
                   renaming (written and verified; the rename into place may have happened; on S3: the upload
                   was sent, and may have completed), delivered (in place, with bytes, SHA-256 and when), or
                   superseded (a later export into the same local folder replaced it: an accounts or users
                   snapshot that a newer one makes obsolete); note says how a person settled an upload whose
                   outcome was unknown (--mark-delivered, --resend);
delivery.triggers  one row per call to a Totango import job: its kind, attempt, HTTP status and outcome.

What happened in which order is a step number (delivery.files.delivered_step, delivery.triggers.step), counted
up by deliver.py itself, never the clock: a clock that was fast for one run (a VM restored before NTP synced)
must not make a later delivery look older than a trigger, which would keep Totango's job from being started.
The times recorded beside are for people.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime

import duckdb

from totango_feed.sql import schema_sql

SCHEMA_SQL = schema_sql(
    "delivery",
    {
        "runs": {
            "run_id": "varchar not null",
            "destination": "varchar not null",
            "folder": "varchar not null",
            "status": "varchar not null",
            "reason": "varchar",
            "started_at": "timestamp not null",
            "finished_at": "timestamp",
        },
        "files": {
            "run_id": "varchar not null",
            "destination": "varchar not null",
            "folder": "varchar not null",
            "name": "varchar not null",
            "bytes": "bigint not null",
            "sha256": "varchar not null",
            "status": "varchar not null",
            "updated_at": "timestamp not null",
            "delivered_at": "timestamp",
        },
        "triggers": {
            "destination": "varchar not null",
            "kind": "varchar not null",
            "attempt": "integer not null",
            "http_status": "integer",
            "outcome": "varchar not null",
            "detail": "varchar",
            "called_at": "timestamp not null",
        },
    },
    added={
        "files": {"delivered_step": "bigint", "note": "varchar"},
        "triggers": {"step": "bigint"},
    },
)

# Deliveries and triggers recorded before steps were counted, numbered once in the order of their times (all there
# is to go by), before any new step is counted.
NUMBER_OLD_STEPS_SQL = """
create or replace temporary table old_steps as
select kind, row_id, (select coalesce(max(step), 0) from (
        select max(delivered_step) as step from delivery.files union all select max(step) from delivery.triggers
    )) + row_number() over (order by happened_at, kind, row_id) as step
from (
    select 'file' as kind, rowid as row_id, delivered_at as happened_at from delivery.files
    where status = 'delivered' and delivered_step is null
    union all
    select 'trigger' as kind, rowid as row_id, called_at as happened_at from delivery.triggers where step is null
);
update delivery.files set delivered_step = old_steps.step from old_steps
where old_steps.kind = 'file' and delivery.files.rowid = old_steps.row_id;
update delivery.triggers set step = old_steps.step from old_steps
where old_steps.kind = 'trigger' and delivery.triggers.rowid = old_steps.row_id;
drop table old_steps;
"""


def now() -> datetime:
    return datetime.now(UTC).replace(tzinfo=None)


def ensure_schema(connection: duckdb.DuckDBPyConnection) -> None:
    connection.execute(SCHEMA_SQL)
    connection.execute(NUMBER_OLD_STEPS_SQL)


def next_step(connection: duckdb.DuckDBPyConnection) -> int:
    """The next step number: one more than any recorded (one deliver.py at a time writes the DuckDB file)."""
    return connection.execute(
        "select coalesce(max(step), 0) + 1 from (select max(delivered_step) as step from delivery.files "
        "union all select max(step) from delivery.triggers)"
    ).fetchone()[0]


def rekey(connection: duckdb.DuckDBPyConnection, key_of: Callable[[str], str | None]) -> None:
    """Record every destination under its key (key_of: the key of a URL as typed, None if it cannot be read), for
    deliveries recorded before drops were keyed: file:///drop/ and file:///drop are then one drop."""
    for table in ("runs", "files", "triggers"):
        for (url,) in connection.execute(f"select distinct destination from delivery.{table}").fetchall():
            key = key_of(url)
            if key is not None and key != url:
                connection.execute(f"update delivery.{table} set destination = ? where destination = ?", [key, url])


def run_row(connection: duckdb.DuckDBPyConnection, run_id: str) -> tuple[str, str, str] | None:
    """(destination, folder, status) of a run deliver.py took on, or None."""
    return connection.execute(
        "select destination, folder, status from delivery.runs where run_id = ?", [run_id]
    ).fetchone()


def start_run(connection: duckdb.DuckDBPyConnection, run_id: str, destination: str, folder: str) -> None:
    connection.execute(
        "insert into delivery.runs values (?, ?, ?, 'delivering', null, ?, null)", [run_id, destination, folder, now()]
    )


def finish_run(connection: duckdb.DuckDBPyConnection, run_id: str) -> None:
    connection.execute(
        "update delivery.runs set status = 'delivered', finished_at = ? where run_id = ?", [now(), run_id]
    )


def skip_run(connection: duckdb.DuckDBPyConnection, run_id: str, destination: str, reason: str) -> None:
    """Leave a run out for good; a run part-way delivered keeps the destination and folder it was delivered to."""
    if run_row(connection, run_id) is None:
        connection.execute(
            "insert into delivery.runs values (?, ?, '', 'skipped', ?, ?, ?)",
            [run_id, destination, reason, now(), now()],
        )
    else:
        connection.execute(
            "update delivery.runs set status = 'skipped', reason = ?, finished_at = ? where run_id = ?",
            [reason, now(), run_id],
        )


def folders_taken(connection: duckdb.DuckDBPyConnection, destination: str) -> set[str]:
    """The folders of a drop that exports were (or are being) delivered into."""
    rows = connection.execute(
        "select folder from delivery.runs where destination = ? and status in ('delivering', 'delivered')",
        [destination],
    ).fetchall()
    return {folder for (folder,) in rows}


def files_in_state(connection: duckdb.DuckDBPyConnection, run_id: str, status: str) -> list[str]:
    rows = connection.execute(
        "select name from delivery.files where run_id = ? and status = ? order by name", [run_id, status]
    ).fetchall()
    return [name for (name,) in rows]


def file_status(connection: duckdb.DuckDBPyConnection, run_id: str, name: str) -> str | None:
    found = connection.execute(
        "select status from delivery.files where run_id = ? and name = ?", [run_id, name]
    ).fetchone()
    return found[0] if found else None


def set_file_status(
    connection: duckdb.DuckDBPyConnection,
    keys: tuple[str, str, str],
    name: str,
    *,
    size: int,
    sha256: str,
    status: str,
    note: str | None = None,
) -> None:
    """Move a file of a run (keys: run id, destination, folder) to a status, recording it the first time."""
    run_id, destination, folder = keys
    at = now()
    delivered_at = at if status == "delivered" else None
    step = next_step(connection) if status == "delivered" else None
    if file_status(connection, run_id, name) is None:
        connection.execute(
            "insert into delivery.files (run_id, destination, folder, name, bytes, sha256, status, updated_at, "
            "delivered_at, delivered_step, note) values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [run_id, destination, folder, name, size, sha256, status, at, delivered_at, step, note],
        )
    else:
        connection.execute(
            "update delivery.files set status = ?, bytes = ?, sha256 = ?, updated_at = ?, delivered_at = ?, "
            "delivered_step = ?, note = coalesce(?, note) where run_id = ? and name = ?",
            [status, size, sha256, at, delivered_at, step, note, run_id, name],
        )


def delivered_here(connection: duckdb.DuckDBPyConnection, destination: str, folder: str, name: str, sha: str) -> bool:
    """Whether this destination's folder got a file of this name and content from us: only such a file is ever
    replaced by a newer one."""
    found = connection.execute(
        "select count(*) from delivery.files where destination = ? and folder = ? and name = ? and sha256 = ? "
        "and status = 'delivered'",
        [destination, folder, name, sha],
    ).fetchone()
    return bool(found and found[0])


def record_trigger(
    connection: duckdb.DuckDBPyConnection,
    destination: str,
    kind: str,
    *,
    attempt: int,
    http_status: int | None,
    outcome: str,
    detail: str,
) -> None:
    connection.execute(
        "insert into delivery.triggers (destination, kind, attempt, http_status, outcome, detail, called_at, step) "
        "values (?, ?, ?, ?, ?, ?, ?, ?)",
        [destination, kind, attempt, http_status, outcome, detail, now(), next_step(connection)],
    )


def last_delivered_step(connection: duckdb.DuckDBPyConnection, destination: str, kind_pattern: str) -> int | None:
    """The step at which a file of a kind (a LIKE pattern on its name) was last put in place at this destination."""
    return connection.execute(
        "select max(delivered_step) from delivery.files where destination = ? and status = 'delivered' and name like ?",
        [destination, kind_pattern],
    ).fetchone()[0]


def last_triggered_step(connection: duckdb.DuckDBPyConnection, destination: str, kind: str) -> int | None:
    """The step at which a job of a kind was last triggered successfully for this destination."""
    return connection.execute(
        "select max(step) from delivery.triggers where destination = ? and kind = ? and outcome = 'ok'",
        [destination, kind],
    ).fetchone()[0]
