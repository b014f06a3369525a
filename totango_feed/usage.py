"""The usage rows one export sends: every valid event whose id no earlier export sent (export_ledger), staged once
as the temp table export_usage, from which the usage file is written, the manifest described and the ledger
recorded, so that the three can never disagree.
"""

from __future__ import annotations

import duckdb

from totango_feed import ledger
from totango_feed.writer import WrittenFile

# The usage rows with their event id and time: the rows of the usage mart (models/marts/totango_usage.sql),
# keyed by the event id the ledger needs.
USAGE_ROWS = "intermediate.int_usage_rows"
USAGE_COLUMNS = ("User ID", "Account ID", "Action", "Module", "Timestamp")
COUNTED_KEY = '"Account ID", "User ID", "Module", "Action"'


def stage(connection: duckdb.DuckDBPyConnection, select_list: str, send_all: bool, counted: bool) -> int:
    """Create export_usage: event_id, occurred_at, the usage columns (select_list, formula guard applied), the
    position of the file row each event goes into (row_position) and, once the file is written, its file name.
    Returns how many events it holds."""
    # Plain usage: one row per event, in time order. Counted: one row per (account, user, module, action), in
    # that order; every event of a group shares the group's row.
    by_time = "row_number() over (order by occurred_at, event_id)"
    position = f"dense_rank() over (order by {COUNTED_KEY})" if counted else by_time
    connection.execute(
        f"create or replace temp table export_usage as "
        f"select event_id, occurred_at, {select_list}, {position} as row_position, null::varchar as file_name "
        f"from {USAGE_ROWS} as usage_rows where {ledger.unsent_filter(send_all, 'usage_rows')}"
    )
    return connection.execute("select count(*) from export_usage").fetchone()[0]


def query(counted: bool) -> str:
    columns = ", ".join(f'"{column}"' for column in USAGE_COLUMNS)
    if not counted:
        return f"select {columns} from export_usage order by row_position"
    # Identical (user, account, module, action) rows of this export fold into one row with a Count.
    return (
        'select "User ID", "Account ID", "Action", "Module", max("Timestamp") as "Timestamp", count(*) as "Count" '
        f"from export_usage group by all order by {COUNTED_KEY}"
    )


def assign_files(connection: duckdb.DuckDBPyConnection, parts: list[WrittenFile]) -> None:
    """Note in export_usage the file each event went into: parts hold consecutive rows, in order."""
    last_row = 0
    for part in parts:
        connection.execute(
            "update export_usage set file_name = ? where row_position > ? and row_position <= ?",
            [part.name, last_row, last_row + part.rows],
        )
        last_row += part.rows


def window(connection: duckdb.DuckDBPyConnection) -> dict[str, object]:
    events, first, last = connection.execute(
        'select count(*), min("Timestamp"), max("Timestamp") from export_usage'
    ).fetchone()
    return {"events": events, "first_timestamp": first, "last_timestamp": last}
