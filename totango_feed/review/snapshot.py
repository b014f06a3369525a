"""What each published export sent, kept in the DuckDB file beside the ledger (schema `review`), and what this
export is about to send, staged beside it as temp tables, so that every number of the review is one SQL query over
the two.

Size: a year of daily exports must stay small, and accounts.csv and users.csv are sent whole every day though
little in them changes. So their rows are kept as cells (one row per key, column and value) with the snapshots
they are valid for: a cell holds from_seq (the first snapshot that sent it) and to_seq (the first that no longer
did; null while it is still sent). Each export adds only the cells that changed, and any export's file can be read
back (`from_seq <= s and (to_seq is null or to_seq > s)`). Beside them, a hash of each row, kept the same way
(review.*_rows), tells which rows changed without reading every cell: only those rows are compared cell by cell.
Usage (events per day), data issues (rows per code), raw rows (per raw export) and each file's columns are small
tables with one set of rows per snapshot.

Staging (`stage`) writes nothing to the database: temp tables review_now_* (this export), temp views review_then_*
(the last snapshot; empty before the first) and their differences (review_*_keys: every key, then and now;
review_*_diff: every cell of a changed, added or removed row that differs). `record` keeps the staged snapshot, in
one transaction, once the export is published; a dry run or an export held by the brakes never calls it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

import duckdb

from totango_feed import project
from totango_feed.build_outputs import BuildOutputs
from totango_feed.sql import quote_identifier

TABLES_SQL = """
create table if not exists {catalog}.review.snapshots (
    seq integer primary key,            -- 1, 2, 3... in the order the exports were published
    run_id varchar not null unique,     -- the export's run (ledger.export_runs)
    taken_at timestamp not null,        -- when the export started, UTC
    is_full boolean not null,           -- --full: every event sent again
    accounts_rows bigint not null,
    users_rows bigint not null,
    usage_events bigint not null,
    data_issues_rows bigint not null
);
create table if not exists {catalog}.review.account_cells (
    account_id varchar not null,
    column_name varchar not null,
    value varchar,                      -- as written in accounts.csv; null for a blank
    from_seq integer not null,
    to_seq integer                      -- null: still sent by the last snapshot
);
create table if not exists {catalog}.review.account_rows (
    account_id varchar not null,
    row_hash ubigint not null,          -- DuckDB's hash of the row's values
    from_seq integer not null,
    to_seq integer
);
create table if not exists {catalog}.review.user_cells (
    user_id varchar not null,
    account_id varchar not null,
    column_name varchar not null,
    value varchar,
    from_seq integer not null,
    to_seq integer
);
create table if not exists {catalog}.review.user_rows (
    user_id varchar not null,
    account_id varchar not null,
    row_hash ubigint not null,
    from_seq integer not null,
    to_seq integer
);
create table if not exists {catalog}.review.file_columns (
    seq integer not null,
    file_name varchar not null,
    position integer not null,
    column_name varchar not null
);
create table if not exists {catalog}.review.usage_by_day (
    seq integer not null,
    day date,                           -- the UTC day of the events' timestamps
    events bigint not null
);
create table if not exists {catalog}.review.issues_by_code (
    seq integer not null,
    source varchar not null,
    issue varchar not null,
    outcome varchar not null,
    issue_rows bigint not null
);
create table if not exists {catalog}.review.raw_rows (
    seq integer not null,
    source varchar not null,
    rows_in bigint not null
);
"""

# Every raw row of each raw export, with its rejection code: the *_checked models. Their row counts are the rows
# read, the denominator of the data-issue rate.
# (dbt exposure totango_csv_export, meta rows_read, read by project.py.)
CHECKED_MODELS = project.export_relations()["rows_read"]


@dataclass(frozen=True)
class KeptFile:
    """accounts.csv or users.csv as the snapshots keep it: its name, the short name of its tables, its keys
    (file header, column of the tables)."""

    file_name: str
    table: str
    keys: tuple[tuple[str, str], ...]

    @property
    def key_columns(self) -> str:
        return ", ".join(column for _, column in self.keys)

    def on_keys(self, left: str, right: str) -> str:
        return " and ".join(f"{left}.{column} = {right}.{column}" for _, column in self.keys)


ACCOUNTS = KeptFile("accounts.csv", "account", (("Account ID", "account_id"),))
USERS = KeptFile("users.csv", "user", (("User ID", "user_id"), ("Account ID", "account_id")))
# The columns of accounts.csv that label an account in the review (Totango's fixed headers).
ACCOUNT_LABELS = {"name": "Account Name", "parent": "Parent ID", "type": "Account Type", "status": "Status"}


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

    def query(self, file: KeptFile) -> str:
        return self.accounts_query if file is ACCOUNTS else self.users_query


def has_snapshots(connection: duckdb.DuckDBPyConnection) -> bool:
    found = connection.execute(
        "select count(*) from duckdb_tables() where schema_name = 'review' and table_name = 'snapshots' "
        "and database_name = current_database()"
    ).fetchall()
    return found[0][0] > 0


def stage_rows(connection: duckdb.DuckDBPyConnection, contents: ExportContents, file: KeptFile) -> None:
    """This export's rows of a file: keys and a hash of all their values (accounts with their labels too)."""
    keys = ", ".join(f"{quote_identifier(header)} as {column}" for header, column in file.keys)
    labels = (
        "".join(f", {quote_identifier(header)} as {name}" for name, header in ACCOUNT_LABELS.items())
        if file is ACCOUNTS
        else ""
    )
    connection.execute(
        f"create or replace temp table review_now_{file.table}_rows as "
        f"select {keys}, hash(*columns(*)) as row_hash{labels} from ({contents.query(file)})"
    )


def stage_cells(connection: duckdb.DuckDBPyConnection, contents: ExportContents, file: KeptFile) -> None:
    """The cells of this export's rows that are new or changed (review_now_*_cells), and those of the last
    export's rows that changed or left (review_then_*_changed_cells); blanks are nulls, as in a CSV file."""
    headers = ", ".join(quote_identifier(header) for header, _ in file.keys)
    keys = ", ".join(f"{quote_identifier(header)} as {column}" for header, column in file.keys)
    changed = ", ".join(f"{column} as {quote_identifier(header)}" for header, column in file.keys)
    connection.execute(
        f"create or replace temp table review_now_{file.table}_cells as "
        f"with now_rows as (select file_rows.* from ({contents.query(file)}) as file_rows semi join "
        f"(select {changed} from review_{file.table}_keys where in_now and (changed or not in_then)) as changed "
        f"using ({headers})), "
        f"as_text as (select {headers}, columns(* exclude ({headers}))::varchar from now_rows) "
        f"select {keys}, column_name, nullif(value, '') as value from as_text "
        f"unpivot include nulls (value for column_name in (columns(* exclude ({headers}))))"
    )
    left = f"(select {file.key_columns} from review_{file.table}_keys where in_then and (changed or not in_now))"
    connection.execute(
        f"create or replace temp table review_then_{file.table}_changed_cells as "
        f"select cells.* from review_then_{file.table}_cells as cells semi join {left} as keys using "
        f"({file.key_columns})"
    )


def stage_now(connection: duckdb.DuckDBPyConnection, contents: ExportContents) -> None:
    """This export's small tables: columns, usage by day, issues by code, raw rows, and each file's rows."""
    outputs = contents.outputs
    for file in (ACCOUNTS, USERS):
        stage_rows(connection, contents, file)
    columns = [
        (file.file_name, position, column[0])
        for file in (ACCOUNTS, USERS)
        for position, column in enumerate(
            connection.execute(f"select * from ({contents.query(file)}) limit 0").description
        )
    ]
    connection.execute("create or replace temp table review_now_columns (file_name varchar, position integer, "
                       "column_name varchar)")  # fmt: skip
    connection.executemany("insert into review_now_columns values (?, ?, ?)", columns)
    connection.execute(
        'create or replace temp table review_now_usage_by_day as select try_cast(left("Timestamp", 10) as date) '
        f"as day, count(*) as events from {contents.usage_staged} group by all"
    )
    data_issues = outputs.relation(project.export_relations()["files"]["data_issues.csv"])
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
        "(select count(*) from review_now_account_rows) as accounts_rows, "
        "(select count(*) from review_now_user_rows) as users_rows, "
        f"(select count(*) from {contents.usage_staged}) as usage_events, "
        f"(select count(*) from {data_issues}) as data_issues_rows"
    )


LAST_SEQ = "(select max(seq) from {catalog}.review.snapshots)"
# The last snapshot, as temp views; `catalog` is the database's own, or an empty one before the first snapshot.
THEN_VIEWS = {
    "review_then_snapshot": (
        "select seq, run_id, taken_at, is_full, accounts_rows, users_rows, usage_events, data_issues_rows "
        "from {catalog}.review.snapshots order by seq desc limit 1"
    ),
    "review_then_account_rows": "select account_id, row_hash from {catalog}.review.account_rows where to_seq is null",
    "review_then_user_rows": (
        "select user_id, account_id, row_hash from {catalog}.review.user_rows where to_seq is null"
    ),
    "review_then_account_cells": (
        "select account_id, column_name, value from {catalog}.review.account_cells where to_seq is null"
    ),
    "review_then_user_cells": (
        "select user_id, account_id, column_name, value from {catalog}.review.user_cells where to_seq is null"
    ),
    "review_then_columns": (
        f"select file_name, position, column_name from {{catalog}}.review.file_columns where seq = {LAST_SEQ}"
    ),
    "review_then_usage_by_day": f"select day, events from {{catalog}}.review.usage_by_day where seq = {LAST_SEQ}",
    "review_then_issues_by_code": (
        f"select source, issue, outcome, issue_rows from {{catalog}}.review.issues_by_code where seq = {LAST_SEQ}"
    ),
    "review_then_raw_rows": f"select source, rows_in from {{catalog}}.review.raw_rows where seq = {LAST_SEQ}",
    # Every earlier snapshot (the usage brake's median, the charts).
    "review_history": "select * from {catalog}.review.snapshots",
    "review_history_usage_by_day": "select seq, day, events from {catalog}.review.usage_by_day",
}


def stage_then(connection: duckdb.DuckDBPyConnection) -> None:
    if has_snapshots(connection):
        catalog = quote_identifier(connection.execute("select current_database()").fetchall()[0][0])
    else:
        # Nothing kept yet (or a dry run's read-only connection to a database without it): an empty schema of the
        # same tables, in a database of its own in memory, so that every query reads the same names.
        catalog = "review_empty"
        attached = connection.execute("select count(*) from duckdb_databases() where database_name = 'review_empty'")
        if not attached.fetchall()[0][0]:
            connection.execute("attach ':memory:' as review_empty (read_only false)")
        connection.execute("create schema if not exists review_empty.review")
        connection.execute(TABLES_SQL.format(catalog=catalog))
    for name, query in THEN_VIEWS.items():
        connection.execute(f"create or replace temp view {name} as {query.format(catalog=catalog)}")


def stage_differences(connection: duckdb.DuckDBPyConnection, contents: ExportContents) -> None:
    """Which keys each file held then and now, and whether their row changed (review_*_keys); then the cells of
    those rows that differ (review_*_diff: had/has say whether the cell was sent then/now)."""
    for file in (ACCOUNTS, USERS):
        either = ", ".join(f"coalesce(n.{column}, t.{column}) as {column}" for _, column in file.keys)
        first_key = file.keys[0][1]
        connection.execute(
            f"create or replace temp table review_{file.table}_keys as "
            f"select {either}, t.{first_key} is not null as in_then, n.{first_key} is not null as in_now, "
            "t.row_hash is distinct from n.row_hash as changed "
            f"from review_then_{file.table}_rows as t full join review_now_{file.table}_rows as n "
            f"on {file.on_keys('t', 'n')}"
        )
        stage_cells(connection, contents, file)
        connection.execute(
            f"create or replace temp table review_{file.table}_diff as "
            f"select {either}, coalesce(n.column_name, t.column_name) as column_name, t.value as old_value, "
            "n.value as new_value, t.column_name is not null as had, n.column_name is not null as has "
            f"from review_then_{file.table}_changed_cells as t full join review_now_{file.table}_cells as n "
            f"on {file.on_keys('t', 'n')} and t.column_name = n.column_name "
            "where t.column_name is null or n.column_name is null or t.value is distinct from n.value"
        )


def stage(connection: duckdb.DuckDBPyConnection, contents: ExportContents) -> None:
    stage_now(connection, contents)
    stage_then(connection)
    stage_differences(connection, contents)


def record_file(connection: duckdb.DuckDBPyConnection, file: KeptFile, seq: int) -> None:
    """Close the rows and cells no longer sent as they were, open the new ones."""
    keys, table = file.key_columns, file.table
    gone = f"(select {keys} from review_{table}_keys where in_then and (changed or not in_now))"
    connection.execute(
        f"update review.{table}_rows as kept set to_seq = ? from {gone} as gone "
        f"where kept.to_seq is null and {file.on_keys('kept', 'gone')}",
        [seq],
    )
    connection.execute(
        f"insert into review.{table}_rows select {keys}, row_hash, ?, null from review_now_{table}_rows as rows "
        f"semi join (select {keys} from review_{table}_keys where in_now and (changed or not in_then)) as new "
        f"using ({keys})",
        [seq],
    )
    matches = " and ".join(f"cells.{column} = diff.{column}" for column in (*keys.split(", "), "column_name"))
    connection.execute(
        f"update review.{table}_cells as cells set to_seq = ? from review_{table}_diff as diff "
        f"where cells.to_seq is null and diff.had and {matches}",
        [seq],
    )
    connection.execute(
        f"insert into review.{table}_cells select {keys}, column_name, new_value, ?, null "
        f"from review_{table}_diff where has",
        [seq],
    )


def record(connection: duckdb.DuckDBPyConnection, contents: ExportContents) -> int:
    """Keep the staged snapshot as the next one, in one transaction; returns its seq."""
    connection.execute("begin transaction")
    try:
        connection.execute("create schema if not exists review")
        connection.execute(TABLES_SQL.format(catalog=quote_identifier(
            connection.execute("select current_database()").fetchall()[0][0])))  # fmt: skip
        seq = connection.execute("select coalesce(max(seq), 0) + 1 from review.snapshots").fetchall()[0][0]
        connection.execute(
            "insert into review.snapshots select ?, ?, ?, ?, accounts_rows, users_rows, usage_events, "
            "data_issues_rows from review_now_files",
            [seq, contents.run_id, contents.started_at, contents.is_full],
        )
        for file in (ACCOUNTS, USERS):
            record_file(connection, file, seq)
        for table, columns in (
            ("file_columns", "file_name, position, column_name"),
            ("usage_by_day", "day, events"),
            ("issues_by_code", "source, issue, outcome, issue_rows"),
            ("raw_rows", "source, rows_in"),
        ):
            source = "review_now_columns" if table == "file_columns" else f"review_now_{table}"
            connection.execute(f"insert into review.{table} select ?, {columns} from {source}", [seq])
        connection.execute("commit")
    except BaseException:
        connection.execute("rollback")
        raise
    return seq
