"""The usage rows one export sends: every valid event whose id no earlier export sent (export_ledger), staged once
as the temp table export_usage_rows (read through the temp view export_usage, which numbers them), from which the
usage file is written, the manifest described and the ledger recorded, so that the three can never disagree.
"""

from __future__ import annotations

import duckdb

from totango_feed import build_outputs, ledger
from totango_feed.sql import sql_literal
from totango_feed.writer import WrittenFile

# The usage rows with their event id and their order: the rows of the usage mart (models/marts/totango_usage.sql),
# keyed by the event id the ledger needs.
USAGE_ROWS = build_outputs.USAGE_ROWS
USAGE_MART = build_outputs.USAGE_MART
USAGE_COLUMNS = build_outputs.USAGE_COLUMNS
COUNTED_KEY = '"Account ID", "User ID", "Module", "Action"'


def stage(
    connection: duckdb.DuckDBPyConnection, usage_rows: str, select_list: str, send_all: bool, counted: bool
) -> int:
    """Create export_usage from usage_rows (USAGE_ROWS as the connection names it): event_id, the raw row it came
    from (for the ledger), the usage columns (select_list, formula guard applied) and the position of the file row
    each event goes into (row_position). Returns how many events it holds. The build marks the events an earlier
    export sent (was_sent), so that only the others are read; the ledger, which an export after the build may have
    added to, has the last word."""
    unsent_in_build = "true" if send_all else "not usage_rows.was_sent"
    rows = (
        f"select event_id, file_hash as source_file_hash, file_row_number as source_file_row_number, "
        f'"Account ID" as sent_account_id, {select_list}'
    )
    unsent = ledger.unsent_filter(send_all, "usage_rows")
    where = f"from {usage_rows} as usage_rows where {unsent_in_build} and {unsent}"
    if counted:
        # One row per (account, user, module, action), in that order; every event of a group shares the group's row.
        connection.execute(
            f"create or replace temp table export_usage_rows as {rows}, "
            f"dense_rank() over (order by {COUNTED_KEY}) as row_position {where}"
        )
        connection.execute("create or replace temp view export_usage as select * from export_usage_rows")
    else:
        # One row per event, stored in the file's order (usage_order_key): a table keeps the order it was written in,
        # and its rowid counts the rows in that order, so the position needs no window over the sorted rows (at ten
        # million events a window sorts gigabytes through the disk) and the file is written without sorting again.
        stage_rows(connection, f"{rows}, usage_order_key from {usage_rows} as usage_rows", send_all)
        connection.execute(
            "create or replace temp view export_usage as select *, rowid + 1 as row_position from export_usage_rows"
        )
    return connection.execute("select count(*) from export_usage_rows").fetchone()[0]


def stage_rows(connection: duckdb.DuckDBPyConnection, rows: str, send_all: bool) -> None:
    """export_usage_rows: the rows (a select of the usage rows, aliased usage_rows, with their usage_order_key) that
    this export sends, sorted. Those the build held to send are taken first, a day's worth, and only they are looked
    up in the ledger, which holds every event ever sent: the database then scans the ledger's ids once against the
    day's rows, where asking the ledger inside the same query as the usage rows compares them the other way round.
    A ledger that holds no event id yet (the first export) has nothing to look up: the rows the build held to send
    are sorted straight from the usage rows, in one statement. At ten million events the two steps would first
    store every wide row (the formatted columns, the raw row's file hash) as a temp table that does not fit in
    memory, spill it and read it back only to sort it: half the first export's time."""
    if send_all:
        connection.execute(
            f"create or replace temp table export_usage_rows as select * exclude (usage_order_key) from ({rows}) "
            "order by usage_order_key"
        )
        return
    if not ledger.holds_events(connection):
        connection.execute(
            f"create or replace temp table export_usage_rows as select * exclude (usage_order_key) from ({rows} "
            "where not usage_rows.was_sent) order by usage_order_key"
        )
        return
    connection.execute(f"create or replace temp table export_usage_to_send as {rows} where not usage_rows.was_sent")
    connection.execute(
        "create or replace temp table export_usage_rows as select * exclude (usage_order_key) from "
        f"export_usage_to_send as usage_rows where {ledger.unsent_filter(False, 'usage_rows')} order by usage_order_key"
    )
    connection.execute("drop table export_usage_to_send")


def query(counted: bool) -> str:
    columns = ", ".join(f'"{column}"' for column in USAGE_COLUMNS)
    if not counted:
        # No order by: the rows are read in the order they were stored (sorted by usage_order_key, stage), which a
        # select from one table keeps (preserve_insertion_order, set in export.py); sorting them again would cost
        # as much as staging them.
        return f"select {columns} from export_usage"
    # Identical (user, account, module, action) rows of this export fold into one row with a Count.
    return (
        'select "User ID", "Account ID", "Action", "Module", max("Timestamp") as "Timestamp", count(*) as "Count" '
        f"from export_usage group by all order by {COUNTED_KEY}"
    )


def name_files(connection: duckdb.DuckDBPyConnection, parts: list[WrittenFile]) -> None:
    """The temp view usage_sent (event_id, file_name): each event of export_usage with the file it went into.
    Parts hold consecutive rows in order; the file of a row is found by its position, in one pass, when the
    ledger records the events (an update of millions of rows per part would cost seconds each)."""
    branches, last_row = [], 0
    for part in parts:
        last_row += part.rows
        branches.append(f"when row_position <= {last_row} then {sql_literal(part.name)}")
    file_name = f"case {' '.join(branches)} end" if branches else "null::varchar"
    connection.execute(
        f"create or replace temp view usage_sent as select event_id, {file_name} as file_name, source_file_hash, "
        "source_file_row_number, sent_account_id from export_usage"
    )


def window(connection: duckdb.DuckDBPyConnection) -> dict[str, object]:
    events, first, last = connection.execute(
        'select count(*), min("Timestamp"), max("Timestamp") from export_usage'
    ).fetchone()
    return {"events": events, "first_timestamp": first, "last_timestamp": last}
