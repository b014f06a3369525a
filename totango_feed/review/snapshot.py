"""What each published export sent, kept in the DuckDB file beside the ledger (schema `review`), and what this
export is about to send, staged beside it as temp tables of the same shape, so that every number of the review
is one SQL query over the two.

Size: a year of daily exports must stay small, and accounts.csv and users.csv are sent whole every day though
little in them changes. So their rows are kept as cells (one row per key, column and value) with the snapshots
they are valid for: a cell holds from_seq (the first snapshot that sent it) and to_seq (the first that no longer
did; null while it is still sent). Each export adds only the cells that changed, and any export's file can still
be read back (`from_seq <= s and (to_seq is null or to_seq > s)`). Usage (events per day), data issues (rows per
code) and raw rows (per raw export) are small tables with one set of rows per snapshot.

Staging (`stage`) writes nothing to the database: temp tables review_now_* (this export), temp views review_then_*
(the last snapshot, empty before the first) and the differences between them (review_*_keys, review_*_diff).
`record` keeps the staged snapshot, in one transaction, once the export is published; a dry run or an export held
by the brakes never calls it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

import duckdb

from totango_feed.build_outputs import BuildOutputs

SCHEMA_SQL = """
create schema if not exists review;
create table if not exists review.snapshots (
    seq integer primary key,            -- 1, 2, 3... in the order the exports were published
    run_id varchar not null unique,     -- the export's run (ledger.export_runs)
    taken_at timestamp not null,        -- when the export started, UTC
    is_full boolean not null,           -- --full: every event sent again
    accounts_rows bigint not null,
    users_rows bigint not null,
    usage_events bigint not null,
    data_issues_rows bigint not null
);
create table if not exists review.account_cells (
    account_id varchar not null,
    column_name varchar not null,
    value varchar,                      -- as written in accounts.csv; null for a blank
    from_seq integer not null,
    to_seq integer                      -- null: still sent by the last snapshot
);
create table if not exists review.user_cells (
    user_id varchar not null,
    account_id varchar not null,
    column_name varchar not null,
    value varchar,
    from_seq integer not null,
    to_seq integer
);
create table if not exists review.usage_by_day (
    seq integer not null,
    day date,                           -- the UTC day of the events' timestamps
    events bigint not null
);
create table if not exists review.issues_by_code (
    seq integer not null,
    source varchar not null,
    issue varchar not null,
    outcome varchar not null,
    issue_rows bigint not null
);
create table if not exists review.raw_rows (
    seq integer not null,
    source varchar not null,
    rows_in bigint not null
);
"""

# Every raw row of each raw export, with its rejection code: the *_checked models. Their row counts are the rows
# read, the denominator of the data-issue rate.
CHECKED_MODELS = {
    "raw_crm_accounts": "intermediate.int_accounts_checked",
    "raw_crm_subscriptions": "intermediate.int_subscriptions_checked",
    "raw_app_users": "intermediate.int_users_checked",
    "raw_app_events": "intermediate.int_events_checked",
}

ACCOUNTS_FILE = "accounts.csv"
USERS_FILE = "users.csv"


@dataclass(frozen=True)
class ExportContents:
    """What this export sends, as its connection names it."""

    # The selects that write accounts.csv and users.csv (formula guard applied): what Totango receives.
    accounts_query: str
    users_query: str
    # The temp table of the usage events this export sends (a "Timestamp" column, one row per event).
    usage_staged: str
    outputs: BuildOutputs
    run_id: str
    started_at: datetime
    is_full: bool


def has_snapshots(connection: duckdb.DuckDBPyConnection) -> bool:
    found = connection.execute(
        "select count(*) from duckdb_tables() where schema_name = 'review' and table_name = 'snapshots' "
        "and database_name = current_database()"
    ).fetchall()
    return found[0][0] > 0


def file_cells(query: str, keys: tuple[str, ...]) -> str:
    """The rows of a file as cells: its key columns, then one row per other column (column_name, value), blanks
    included as nulls (an empty text is a blank in a CSV file too)."""
    key_list = ", ".join(f'"{key}"' for key in keys)
    return (
        f"select {key_list}, column_name, nullif(value, '') as value from ("
        f"select {key_list}, columns(* exclude ({key_list}))::varchar from ({query})"
        f") unpivot include nulls (value for column_name in (columns(* exclude ({key_list}))))"
    )


def stage_now(connection: duckdb.DuckDBPyConnection, contents: ExportContents) -> None:
    """This export's snapshot, as temp tables review_now_*."""
    outputs = contents.outputs
    connection.execute(
        'create or replace temp table review_now_account_cells as select "Account ID" as account_id, column_name, '
        f"value from ({file_cells(contents.accounts_query, ('Account ID',))})"
    )
    connection.execute(
        'create or replace temp table review_now_user_cells as select "User ID" as user_id, "Account ID" as '
        f"account_id, column_name, value from ({file_cells(contents.users_query, ('User ID', 'Account ID'))})"
    )
    columns = [
        (name, position, column[0])
        for name, query in ((ACCOUNTS_FILE, contents.accounts_query), (USERS_FILE, contents.users_query))
        for position, column in enumerate(connection.execute(f"select * from ({query}) limit 0").description)
    ]
    connection.execute("create or replace temp table review_now_columns (file_name varchar, position integer, "
                       "column_name varchar)")  # fmt: skip
    connection.executemany("insert into review_now_columns values (?, ?, ?)", columns)
    connection.execute(
        'create or replace temp table review_now_usage_by_day as select try_cast(left("Timestamp", 10) as date) '
        f"as day, count(*) as events from {contents.usage_staged} group by all"
    )
    data_issues = outputs.relation("marts.data_issues")
    connection.execute(
        "create or replace temp table review_now_issues_by_code as select source, issue, outcome, "
        f"count(*) as issue_rows from {data_issues} group by all"
    )
    # A build that left no *_checked table (Spark without it attached): its rate is unknown, never guessed.
    counts = [
        f"select '{source}' as source, count(*) as rows_in from {outputs.relation(model)}"
        for source, model in CHECKED_MODELS.items()
        if outputs.exists(connection, model)
    ]
    connection.execute(
        "create or replace temp table review_now_raw_rows as "
        + (" union all ".join(counts) if counts else "select null::varchar as source, 0::bigint as rows_in limit 0")
    )
    connection.execute(
        "create or replace temp table review_now_files as select "
        f"(select count(*) from ({contents.accounts_query})) as accounts_rows, "
        f"(select count(*) from ({contents.users_query})) as users_rows, "
        f"(select count(*) from {contents.usage_staged}) as usage_events, "
        f"(select count(*) from {data_issues}) as data_issues_rows"
    )


# The last snapshot, as temp views of the staged tables' shape. Before the first snapshot they are empty.
THEN_VIEWS = {
    "review_then_snapshot": (
        "select seq, run_id, taken_at, is_full, accounts_rows, users_rows, usage_events, data_issues_rows "
        "from review.snapshots order by seq desc limit 1"
    ),
    "review_then_account_cells": "select account_id, column_name, value from review.account_cells where to_seq is null",
    "review_then_user_cells": (
        "select user_id, account_id, column_name, value from review.user_cells where to_seq is null"
    ),
    "review_then_usage_by_day": (
        "select day, events from review.usage_by_day where seq = (select max(seq) from review.snapshots)"
    ),
    "review_then_issues_by_code": (
        "select source, issue, outcome, issue_rows from review.issues_by_code "
        "where seq = (select max(seq) from review.snapshots)"
    ),
    "review_then_raw_rows": (
        "select source, rows_in from review.raw_rows where seq = (select max(seq) from review.snapshots)"
    ),
    # Every earlier snapshot (the usage brake's median, the charts).
    "review_history": "select * from review.snapshots",
    "review_history_usage_by_day": "select seq, day, events from review.usage_by_day",
}
EMPTY_THEN_VIEWS = {
    "review_then_snapshot": (
        "select null::integer as seq, null::varchar as run_id, null::timestamp as taken_at, null::boolean as "
        "is_full, 0::bigint as accounts_rows, 0::bigint as users_rows, 0::bigint as usage_events, "
        "0::bigint as data_issues_rows limit 0"
    ),
    "review_then_account_cells": (
        "select null::varchar as account_id, null::varchar as column_name, null::varchar as value limit 0"
    ),
    "review_then_user_cells": (
        "select null::varchar as user_id, null::varchar as account_id, null::varchar as column_name, "
        "null::varchar as value limit 0"
    ),
    "review_then_usage_by_day": "select null::date as day, 0::bigint as events limit 0",
    "review_then_issues_by_code": (
        "select null::varchar as source, null::varchar as issue, null::varchar as outcome, 0::bigint as issue_rows "
        "limit 0"
    ),
    "review_then_raw_rows": "select null::varchar as source, 0::bigint as rows_in limit 0",
    "review_history": (
        "select null::integer as seq, null::varchar as run_id, null::timestamp as taken_at, null::boolean as "
        "is_full, 0::bigint as accounts_rows, 0::bigint as users_rows, 0::bigint as usage_events, "
        "0::bigint as data_issues_rows limit 0"
    ),
    "review_history_usage_by_day": "select null::integer as seq, null::date as day, 0::bigint as events limit 0",
}


def stage_then(connection: duckdb.DuckDBPyConnection) -> None:
    views = THEN_VIEWS if has_snapshots(connection) else EMPTY_THEN_VIEWS
    for name, query in views.items():
        connection.execute(f"create or replace temp view {name} as {query}")


def stage_differences(connection: duckdb.DuckDBPyConnection) -> None:
    """Which keys each file held then and now (review_*_keys), and every cell that differs (review_*_diff:
    had/has say whether the cell was sent then/now). On an ordinary day the differences are small."""
    for file, keys in (("account", ("account_id",)), ("user", ("user_id", "account_id"))):
        key_list = ", ".join(keys)
        on_keys = " and ".join(f"t.{key} = n.{key}" for key in keys)
        either = ", ".join(f"coalesce(n.{key}, t.{key}) as {key}" for key in keys)
        connection.execute(
            f"create or replace temp table review_{file}_keys as "
            f"with then_keys as (select distinct {key_list} from review_then_{file}_cells), "
            f"now_keys as (select distinct {key_list} from review_now_{file}_cells) "
            f"select {either}, t.{keys[0]} is not null as in_then, n.{keys[0]} is not null as in_now "
            f"from then_keys as t full join now_keys as n on {on_keys}"
        )
        connection.execute(
            f"create or replace temp table review_{file}_diff as "
            f"select {either}, coalesce(n.column_name, t.column_name) as column_name, t.value as old_value, "
            "n.value as new_value, t.column_name is not null as had, n.column_name is not null as has "
            f"from review_then_{file}_cells as t full join review_now_{file}_cells as n "
            f"on {on_keys} and t.column_name = n.column_name "
            "where t.column_name is null or n.column_name is null or t.value is distinct from n.value"
        )


def stage(connection: duckdb.DuckDBPyConnection, contents: ExportContents) -> None:
    stage_now(connection, contents)
    stage_then(connection)
    stage_differences(connection)


def record(connection: duckdb.DuckDBPyConnection, contents: ExportContents) -> int:
    """Keep the staged snapshot as the next one, in one transaction; returns its seq. Only the cells that changed
    are written: those no longer sent are closed (to_seq), the new ones opened."""
    connection.execute("begin transaction")
    try:
        connection.execute(SCHEMA_SQL)
        seq = connection.execute("select coalesce(max(seq), 0) + 1 from review.snapshots").fetchall()[0][0]
        connection.execute(
            "insert into review.snapshots select ?, ?, ?, ?, accounts_rows, users_rows, usage_events, "
            "data_issues_rows from review_now_files",
            [seq, contents.run_id, contents.started_at, contents.is_full],
        )
        for file, keys in (("account", ("account_id",)), ("user", ("user_id", "account_id"))):
            matches = " and ".join(f"cells.{key} = diff.{key}" for key in (*keys, "column_name"))
            connection.execute(
                f"update review.{file}_cells as cells set to_seq = ? from review_{file}_diff as diff "
                f"where cells.to_seq is null and diff.had and {matches}",
                [seq],
            )
            connection.execute(
                f"insert into review.{file}_cells select {', '.join(keys)}, column_name, new_value, ?, null "
                f"from review_{file}_diff where has",
                [seq],
            )
        connection.execute("insert into review.usage_by_day select ?, day, events from review_now_usage_by_day", [seq])
        connection.execute(
            "insert into review.issues_by_code select ?, source, issue, outcome, issue_rows "
            "from review_now_issues_by_code",
            [seq],
        )
        connection.execute("insert into review.raw_rows select ?, source, rows_in from review_now_raw_rows", [seq])
        connection.execute("commit")
    except BaseException:
        connection.execute("rollback")
        raise
    return seq
