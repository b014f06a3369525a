"""What was delivered where, in the DuckDB file beside the export ledger (schema delivery, made by deliver.py;
dbt and export.py never touch it). Keep the file: it is the memory that keeps a delivered file from being sent
again.

delivery.runs      one row per export run deliver.py took on: delivering (started), delivered (every file and
                   manifest.json in place) or skipped (--skip/--from, or the run left out on purpose); a run is
                   delivered to one destination only, so changing the drop never re-sends an export;
delivery.files     one row per file of a run: uploading (it may be partly written under its temporary name),
                   renaming (written and verified; the rename into place may have happened), delivered (in place,
                   with bytes, SHA-256 and when), or superseded (a later export into the same local folder replaced
                   it: an accounts or users snapshot that a newer one makes obsolete);
delivery.triggers  one row per call to a Totango import job: its kind, attempt, HTTP status and outcome.
"""

from __future__ import annotations

from datetime import UTC, datetime

import duckdb

SCHEMA_SQL = """
create schema if not exists delivery;
create table if not exists delivery.runs (
    run_id varchar not null,
    destination varchar not null,
    folder varchar not null,
    status varchar not null,
    reason varchar,
    started_at timestamp not null,
    finished_at timestamp
);
create table if not exists delivery.files (
    run_id varchar not null,
    destination varchar not null,
    folder varchar not null,
    name varchar not null,
    bytes bigint not null,
    sha256 varchar not null,
    status varchar not null,
    updated_at timestamp not null,
    delivered_at timestamp
);
create table if not exists delivery.triggers (
    destination varchar not null,
    kind varchar not null,
    attempt integer not null,
    http_status integer,
    outcome varchar not null,
    detail varchar,
    called_at timestamp not null
);
"""


def now() -> datetime:
    return datetime.now(UTC).replace(tzinfo=None)


def ensure_schema(connection: duckdb.DuckDBPyConnection) -> None:
    connection.execute(SCHEMA_SQL)


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
    connection.execute(
        "insert into delivery.runs values (?, ?, '', 'skipped', ?, ?, ?)", [run_id, destination, reason, now(), now()]
    )


def file_status(connection: duckdb.DuckDBPyConnection, run_id: str, name: str) -> str | None:
    found = connection.execute(
        "select status from delivery.files where run_id = ? and name = ?", [run_id, name]
    ).fetchone()
    return found[0] if found else None


def set_file_status(
    connection: duckdb.DuckDBPyConnection, keys: tuple[str, str, str], name: str, *, size: int, sha256: str, status: str
) -> None:
    """Move a file of a run (keys: run id, destination, folder) to a status, recording it the first time."""
    run_id, destination, folder = keys
    at = now()
    delivered_at = at if status == "delivered" else None
    if file_status(connection, run_id, name) is None:
        connection.execute(
            "insert into delivery.files values (?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [run_id, destination, folder, name, size, sha256, status, at, delivered_at],
        )
    else:
        connection.execute(
            "update delivery.files set status = ?, bytes = ?, sha256 = ?, updated_at = ?, delivered_at = ? "
            "where run_id = ? and name = ?",
            [status, size, sha256, at, delivered_at, run_id, name],
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
        "insert into delivery.triggers values (?, ?, ?, ?, ?, ?, ?)",
        [destination, kind, attempt, http_status, outcome, detail, now()],
    )


def last_delivered_at(connection: duckdb.DuckDBPyConnection, destination: str, kind_pattern: str) -> datetime | None:
    """When a file of a kind (a LIKE pattern on its name) was last put in place at this destination."""
    return connection.execute(
        "select max(delivered_at) from delivery.files where destination = ? and status = 'delivered' and name like ?",
        [destination, kind_pattern],
    ).fetchone()[0]


def last_triggered_at(connection: duckdb.DuckDBPyConnection, destination: str, kind: str) -> datetime | None:
    """When a job of a kind was last triggered successfully for this destination."""
    return connection.execute(
        "select max(called_at) from delivery.triggers where destination = ? and kind = ? and outcome = 'ok'",
        [destination, kind],
    ).fetchone()[0]
