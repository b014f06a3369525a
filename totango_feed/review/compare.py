"""The review's numbers: SQL over the staged snapshots (snapshot.py), this export's (review_now_*) against the last
published one's (review_then_*) and the earlier ones (review_history*). Python only carries the rows to the
brakes and the templates; it counts nothing itself.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import duckdb

# How many examples of each kind of change the review shows.
EXAMPLES_PER_COLUMN = 3
EXAMPLES_PER_LIST = 10
# The usage charts: the last exports beside this one, and the days of the events.
CHART_EXPORTS = 14
CHART_DAYS = 31
# The events' issue rate is measured over the events read since the last export when there are at least this
# many (the log only grows, so a bad day is diluted in a long history); fewer, over the whole log (a handful of
# new rows gives a rate that is mostly chance).
EVENTS_WINDOW_MIN_ROWS = 100

Row = dict[str, Any]


def rows(connection: duckdb.DuckDBPyConnection, query: str, parameters: list | dict | None = None) -> list[Row]:
    result = connection.execute(query, parameters or [])
    names = [column[0] for column in result.description]
    return [dict(zip(names, values, strict=True)) for values in result.fetchall()]


def one(connection: duckdb.DuckDBPyConnection, query: str, parameters: list | None = None) -> Row:
    return rows(connection, query, parameters)[0]


@dataclass
class FileChanges:
    """accounts.csv or users.csv: its keys then and now, and per column what changed among the keys in both."""

    summary: Row
    columns: list[Row]
    examples: dict[str, list[Row]]
    added: list[Row] = field(default_factory=list)
    removed: list[Row] = field(default_factory=list)


@dataclass
class Comparison:
    then: Row | None  # the last snapshot (seq, run_id, taken_at), None before the first
    last_published: Row | None  # the last published run the ledger knows, with or without a snapshot
    files: list[Row]
    accounts: FileChanges
    reparented: list[Row]
    status_changes: list[Row]
    status_examples: list[Row]
    users: FileChanges
    moved_users: list[Row]
    user_counts: Row
    usage_exports: list[Row]
    usage_days: list[Row]
    usage_baseline: Row
    held_back: list[Row]
    held_back_total: Row
    issues: list[Row]
    issue_rates: list[Row]
    tree: list[Row]  # the accounts the page's tree is picked from (tree_rows)
    tree_accounts: int  # every account of the tree, then and now

    @property
    def first(self) -> bool:
        return self.then is None


FILES_SQL = """
select file, then_rows, now_rows from (
    select 1 as position, 'accounts.csv' as file, t.accounts_rows as then_rows, n.accounts_rows as now_rows
    from review_now_files as n left join review_then_snapshot as t on true
    union all
    select 2, 'users.csv', t.users_rows, n.users_rows
    from review_now_files as n left join review_then_snapshot as t on true
    union all
    select 3, 'usage.csv (events)', t.usage_events, n.usage_events
    from review_now_files as n left join review_then_snapshot as t on true
    union all
    select 4, 'data_issues.csv', t.data_issues_rows, n.data_issues_rows
    from review_now_files as n left join review_then_snapshot as t on true
)
order by position
"""

KEYS_SQL = """
select
    count(*) filter (where in_then) as then_rows,
    count(*) filter (where in_now) as now_rows,
    count(*) filter (where in_now and not in_then) as added,
    count(*) filter (where in_then and not in_now) as removed,
    count(*) filter (where in_then and in_now) as in_both
from review_{file}_keys
"""

# Per column of the file (this export's, in its order; then columns no longer sent): among the keys in both
# exports, how many values changed, became blank, or were filled in.
COLUMNS_SQL = """
with columns_now as (
    select column_name, position from review_now_columns where file_name = ?
),
columns_then as (
    select column_name from review_then_columns where file_name = ?
),
changes as (
    select
        column_name,
        count(*) filter (where had and has) as changed,
        count(*) filter (where had and has and old_value is not null and new_value is null) as blanked,
        count(*) filter (where had and has and old_value is null and new_value is not null) as filled
    from review_{file}_diff
    group by column_name
),
all_columns as (
    select column_name, columns_now.position, columns_now.column_name is not null as sent_now,
        columns_then.column_name is not null as sent_then
    from columns_now full join columns_then using (column_name)
)
select
    all_columns.column_name,
    all_columns.sent_now,
    all_columns.sent_then,
    coalesce(changes.changed, 0) as changed,
    coalesce(changes.blanked, 0) as blanked,
    coalesce(changes.filled, 0) as filled
from all_columns
left join changes using (column_name)
where all_columns.column_name not in ({keys})
order by all_columns.position nulls last, all_columns.column_name
"""

ACCOUNT_LABELS_SQL = """
create or replace temp table review_account_labels as
with then_labels as (
    select
        account_id,
        max(value) filter (where column_name = 'Account Name') as name,
        max(value) filter (where column_name = 'Parent ID') as parent,
        max(value) filter (where column_name = 'Account Type') as type,
        max(value) filter (where column_name = 'Status') as status
    from review_then_account_cells
    where column_name in ('Account Name', 'Parent ID', 'Account Type', 'Status')
    group by account_id
),
now_labels as (
    select account_id, nullif(name, '') as name, nullif(parent, '') as parent, nullif(type, '') as type,
        nullif(status, '') as status
    from review_now_account_rows
),
changed_columns as (
    select account_id, string_agg(column_name, ', ' order by column_name) as changed_columns
    from review_account_diff
    where had and has
    group by account_id
)
select
    keys.account_id,
    keys.in_then,
    keys.in_now,
    coalesce(now_labels.name, then_labels.name) as name,
    then_labels.parent as parent_then,
    now_labels.parent as parent_now,
    coalesce(now_labels.type, then_labels.type) as type,
    then_labels.status as status_then,
    now_labels.status as status_now,
    changed_columns.changed_columns
from review_account_keys as keys
left join then_labels using (account_id)
left join now_labels using (account_id)
left join changed_columns using (account_id)
"""

# A few examples per column and kind (blanked, or any other change), keys in both exports.
ACCOUNT_EXAMPLES_SQL = """
with kinds as (
    select
        diff.column_name,
        diff.account_id,
        labels.name,
        diff.old_value,
        diff.new_value,
        case when diff.old_value is not null and diff.new_value is null then 'blanked' else 'changed' end as kind
    from review_account_diff as diff
    inner join review_account_labels as labels using (account_id)
    where diff.had and diff.has
)
select * from kinds
qualify row_number() over (partition by column_name, kind order by account_id) <= ?
order by column_name, kind, account_id
"""

USER_EXAMPLES_SQL = """
with kinds as (
    select
        column_name,
        user_id,
        account_id,
        old_value,
        new_value,
        case when old_value is not null and new_value is null then 'blanked' else 'changed' end as kind
    from review_user_diff
    where had and has
)
select * from kinds
qualify row_number() over (partition by column_name, kind order by user_id, account_id) <= ?
order by column_name, kind, user_id, account_id
"""

ACCOUNTS_ADDED_SQL = """
select account_id, name, type, parent_now as parent, status_now as status
from review_account_labels where in_now and not in_then order by account_id limit ?
"""
ACCOUNTS_REMOVED_SQL = """
select account_id, name, type, parent_then as parent, status_then as status
from review_account_labels where in_then and not in_now order by account_id limit ?
"""

REPARENTED_SQL = """
select
    labels.account_id,
    labels.name,
    labels.parent_then,
    parents_then.name as parent_then_name,
    labels.parent_now,
    parents_now.name as parent_now_name
from review_account_labels as labels
left join review_account_labels as parents_then on labels.parent_then = parents_then.account_id
left join review_account_labels as parents_now on labels.parent_now = parents_now.account_id
where labels.in_then and labels.in_now and labels.parent_then is distinct from labels.parent_now
order by labels.account_id
limit ?
"""

ACCOUNT_MOVES_SQL = """
select
    count(*) filter (where parent_then is distinct from parent_now) as reparented,
    count(*) filter (where status_then is distinct from status_now) as status_changed
from review_account_labels
where in_then and in_now
"""

STATUS_CHANGES_SQL = """
select status_then, status_now, count(*) as accounts
from review_account_labels
where in_then and in_now and status_then is distinct from status_now
group by all
order by accounts desc, status_then, status_now
"""

STATUS_EXAMPLES_SQL = """
select account_id, name, status_then, status_now
from review_account_labels
where in_then and in_now and status_then is distinct from status_now
order by account_id
limit ?
"""

# Users are counted by User ID (one user may be on several product accounts, one row each). A user moved to
# another product account lost a row (user, account) and gained one. One grouping of every (user, account) key
# gives all five counts: at 5M users, a distinct set and a set difference each cost 2 s.
USER_COUNTS_SQL = """
with users as (
    select
        bool_or(in_then) as was_sent,
        bool_or(in_now) as is_sent,
        bool_or(in_then and not in_now) as lost_a_row,
        bool_or(in_now and not in_then) as gained_a_row
    from review_user_keys
    group by user_id
)
select
    count(*) filter (where was_sent) as then_users,
    count(*) filter (where is_sent) as now_users,
    count(*) filter (where is_sent and not was_sent) as added,
    count(*) filter (where was_sent and not is_sent) as removed,
    count(*) filter (where lost_a_row and gained_a_row) as moved
from users
"""

USERS_ADDED_SQL = """
select user_id, string_agg(account_id, ', ' order by account_id) as accounts
from review_user_keys
where user_id not in (select user_id from review_user_keys where in_then)
group by user_id order by user_id limit ?
"""
USERS_REMOVED_SQL = """
select user_id, string_agg(account_id, ', ' order by account_id) as accounts
from review_user_keys
where user_id not in (select user_id from review_user_keys where in_now)
group by user_id order by user_id limit ?
"""
MOVED_USERS_SQL = """
with lost as (
    select user_id, string_agg(account_id, ', ' order by account_id) as from_accounts
    from review_user_keys where in_then and not in_now group by user_id
),
gained as (
    select user_id, string_agg(account_id, ', ' order by account_id) as to_accounts
    from review_user_keys where in_now and not in_then group by user_id
)
select user_id, from_accounts, to_accounts from lost inner join gained using (user_id) order by user_id limit ?
"""

# The exports the usage brake compares with: the last ones that sent usage, leaving out the first (it sends the
# whole backlog) and --full ones (every event again, on purpose).
USAGE_BASELINE_SQL = """
with usual as (
    select usage_events from review_history
    where not is_full and usage_events > 0 and seq > (select min(seq) from review_history)
    order by seq desc
    limit ?
)
select median(usage_events) as median_events, count(*) as exports, (select usage_events from review_now_files)
    as now_events
from usual
"""

USAGE_EXPORTS_SQL = """
with earlier as (
    select seq, run_id, taken_at, usage_events, is_full, seq = (select min(seq) from review_history) as is_first,
        false as is_now
    from review_history order by seq desc limit ?
)
select * from earlier
union all
select null, null, null, usage_events, null, null, true from review_now_files
order by is_now, seq
"""

# Events per UTC day: this export's, and those the last exports sent, over the last days either holds.
USAGE_DAYS_SQL = """
with earlier_exports as (
    select seq from review_history order by seq desc limit ?
),
earlier as (
    select day, sum(events) as earlier_events
    from review_history_usage_by_day
    where seq in (select seq from earlier_exports)
    group by day
),
days as (
    select day, coalesce(review_now_usage_by_day.events, 0) as now_events, coalesce(earlier.earlier_events, 0)
        as earlier_events
    from review_now_usage_by_day full join earlier using (day)
)
select * from days
where day > (select max(day) from days) - ?::integer
order by day
"""

HELD_BACK_TOTAL_SQL = """
select
    case when exists (select 1 from review_then_snapshot) then coalesce(sum(then_rows), 0) end as then_rows,
    coalesce(sum(now_rows), 0) as now_rows
from ({held_back})
"""

ISSUES_SQL = """
select
    coalesce(n.source, t.source) as source,
    coalesce(n.issue, t.issue) as issue,
    coalesce(n.outcome, t.outcome) as outcome,
    -- 0 for a code the last export did not have; null when there is no last export
    case when exists (select 1 from review_then_snapshot) then coalesce(t.issue_rows, 0) end as then_rows,
    coalesce(n.issue_rows, 0) as now_rows
from review_now_issues_by_code as n
full join review_then_issues_by_code as t using (source, issue, outcome)
order by source, issue, outcome
"""

# Events left out of usage, by reason; a repeat of an event already sent (duplicate) is not held back.
HELD_BACK_SQL = """
select issue, sum(then_rows) as then_rows, sum(now_rows) as now_rows from ({issues})
where source = 'raw_app_events' and outcome = 'dropped' and issue != 'duplicate'
group by issue
order by issue
"""

# The data-issue rate of each raw export: its issue rows per raw row, repeats (issue duplicate: a re-delivered file)
# left out of both. The events over those read since the last export, where there are enough of them.
ISSUE_RATES_SQL = """
with issues as (
    select 'then' as side, source, sum(issue_rows) filter (where issue != 'duplicate') as issue_rows,
        sum(issue_rows) filter (where issue = 'duplicate') as duplicate_rows
    from review_then_issues_by_code group by source
    union all
    select 'now', source, sum(issue_rows) filter (where issue != 'duplicate'),
        sum(issue_rows) filter (where issue = 'duplicate')
    from review_now_issues_by_code group by source
),
raw as (
    select 'then' as side, source, rows_in from review_then_raw_rows
    union all
    select 'now', source, rows_in from review_now_raw_rows
),
measured as (
    select raw.side, raw.source, raw.rows_in - coalesce(issues.duplicate_rows, 0) as rows_read,
        coalesce(issues.issue_rows, 0) as issue_rows
    from raw left join issues using (side, source)
),
sides as (
    select n.source, t.rows_read as rows_then, n.rows_read as rows_now, t.issue_rows as issues_then,
        n.issue_rows as issues_now,
        coalesce(n.source = 'raw_app_events' and n.rows_read - t.rows_read >= ?, false) as on_new_rows
    from measured as n
    left join measured as t on t.source = n.source and t.side = 'then'
    where n.side = 'now'
)
select
    source,
    rows_then,
    rows_now,
    issues_then,
    issues_now,
    on_new_rows,
    case when on_new_rows then rows_now - rows_then else rows_now end as rows_measured,
    case when on_new_rows then greatest(issues_now - issues_then, 0) else issues_now end as issues_measured,
    issues_then / nullif(rows_then, 0) as rate_then,
    case when on_new_rows then greatest(issues_now - issues_then, 0) / (rows_now - rows_then)
        else issues_now / nullif(rows_now, 0) end as rate_now
from sides
order by source
"""

# The page's account tree shows at most TREE_LIMIT accounts (render.account_tree): past it, the accounts with a
# change and their parents first, then the top of the tree, level by level. Reading every account into Python to
# pick those cost about 7 s of each export at 560,000 accounts (docs/benchmark.md), so past the limit the rows are
# picked here: the accounts that may have a change, every account above them, and every level of the tree down to
# the first where the levels above and at it hold TREE_LIMIT accounts. That set holds each parent of its accounts
# and every account the page could show, so render.account_tree picks from it what it would pick from all.
TREE_LIMIT = 3000
TREE_COLUMNS = (
    "account_id, name, type, in_then, in_now, parent_then, parent_now, status_then, status_now, changed_columns"
)
TREE_SQL = f"""
select {TREE_COLUMNS}
from review_account_labels
order by name, account_id
"""
TREE_PICKED_SQL = f"""
with recursive
-- Each account's parent as the page places it (now, or then for an account removed), if an account of the tree.
placed as (
    select labels.account_id, parents.account_id as parent
    from review_account_labels as labels
    left join review_account_labels as parents
        on parents.account_id = case when labels.in_now then labels.parent_now else labels.parent_then end
),
-- Each account's level under the top. One whose parents run into a loop is never reached: the page puts it at
-- the top (render.without_loops), level 0.
reached (account_id, level) as (
    select account_id, 0 from placed where parent is null
    union all
    select placed.account_id, reached.level + 1
    from placed inner join reached on placed.parent = reached.account_id
),
levels as (
    select placed.account_id, placed.parent, coalesce(reached.level, 0) as level
    from placed left join reached using (account_id)
),
-- The deepest level the page may reach: the first where the levels above and at it hold the limit.
last_level as (
    select min(level) as level from (
        select level, sum(count(*)) over (order by level) as accounts_down_to from levels group by level
    ) where accounts_down_to >= $limit
),
-- The accounts that may be marked as changed (a superset of render.node_marks'; none on the first export),
-- then every account above them.
above_changes (account_id) as (
    select account_id from review_account_labels
    where not $first and (
        in_now is distinct from in_then or parent_then is distinct from parent_now
        or status_then is distinct from status_now or changed_columns is not null
    )
    union
    select levels.parent from above_changes inner join levels using (account_id) where levels.parent is not null
)
select {TREE_COLUMNS}
from review_account_labels
where
    account_id in (select above_changes.account_id from above_changes)
    or account_id in (select levels.account_id from levels where levels.level <= (select level from last_level))
order by name, account_id
"""

# The last export made, by the ledger's order of insertion (a run's row is added when it starts; none is ever
# deleted), never by published_at: a clock that was fast on one day would make that export look the newest.
LAST_PUBLISHED_SQL = """
select run_id, published_at from ledger.export_runs where status = 'published'
order by rowid desc limit 1
"""


def file_changes(
    connection: duckdb.DuckDBPyConnection, file: str, file_name: str, keys: tuple[str, ...]
) -> FileChanges:
    summary = one(connection, KEYS_SQL.format(file=file))
    key_names = ", ".join(f"'{key}'" for key in keys)
    columns = rows(connection, COLUMNS_SQL.format(file=file, keys=key_names), [file_name, file_name])
    return FileChanges(summary=summary, columns=columns, examples={})


def group_examples(examples: list[Row]) -> dict[str, list[Row]]:
    grouped: dict[str, list[Row]] = {}
    for example in examples:
        grouped.setdefault(example["column_name"], []).append(example)
    return grouped


def last_published(connection: duckdb.DuckDBPyConnection) -> Row | None:
    has_ledger = connection.execute(
        "select count(*) from duckdb_tables() where schema_name = 'ledger' and table_name = 'export_runs' "
        "and database_name = current_database()"
    ).fetchall()[0][0]
    found = rows(connection, LAST_PUBLISHED_SQL) if has_ledger else []
    return found[0] if found else None


def tree_rows(connection: duckdb.DuckDBPyConnection, *, first: bool, accounts: int) -> list[Row]:
    """The accounts render.account_tree picks from: all of them up to TREE_LIMIT, else those it may show."""
    if accounts <= TREE_LIMIT:
        return rows(connection, TREE_SQL)
    return rows(connection, TREE_PICKED_SQL, {"limit": TREE_LIMIT, "first": first})


def compare(connection: duckdb.DuckDBPyConnection, median_of: int) -> Comparison:
    """Every number of the review. median_of: how many of the last exports the usage median is taken over."""
    then = rows(connection, "select seq, run_id, taken_at from review_then_snapshot")
    connection.execute(ACCOUNT_LABELS_SQL)
    accounts = file_changes(connection, "account", "accounts.csv", ("Account ID",))
    accounts.examples = group_examples(rows(connection, ACCOUNT_EXAMPLES_SQL, [EXAMPLES_PER_COLUMN]))
    accounts.added = rows(connection, ACCOUNTS_ADDED_SQL, [EXAMPLES_PER_LIST])
    accounts.removed = rows(connection, ACCOUNTS_REMOVED_SQL, [EXAMPLES_PER_LIST])
    accounts.summary |= one(connection, ACCOUNT_MOVES_SQL)
    users = file_changes(connection, "user", "users.csv", ("User ID", "Account ID"))
    users.examples = group_examples(rows(connection, USER_EXAMPLES_SQL, [EXAMPLES_PER_COLUMN]))
    users.added = rows(connection, USERS_ADDED_SQL, [EXAMPLES_PER_LIST])
    users.removed = rows(connection, USERS_REMOVED_SQL, [EXAMPLES_PER_LIST])
    issues = rows(connection, ISSUES_SQL)
    tree_accounts = one(connection, "select count(*) as accounts from review_account_labels")["accounts"]
    return Comparison(
        then=then[0] if then else None,
        last_published=last_published(connection),
        files=rows(connection, FILES_SQL),
        accounts=accounts,
        reparented=rows(connection, REPARENTED_SQL, [EXAMPLES_PER_LIST]),
        status_changes=rows(connection, STATUS_CHANGES_SQL),
        status_examples=rows(connection, STATUS_EXAMPLES_SQL, [EXAMPLES_PER_LIST]),
        users=users,
        moved_users=rows(connection, MOVED_USERS_SQL, [EXAMPLES_PER_LIST]),
        user_counts=one(connection, USER_COUNTS_SQL),
        usage_exports=rows(connection, USAGE_EXPORTS_SQL, [CHART_EXPORTS]),
        usage_days=rows(connection, USAGE_DAYS_SQL, [CHART_EXPORTS, CHART_DAYS]),
        usage_baseline=one(connection, USAGE_BASELINE_SQL, [median_of]),
        held_back=rows(connection, HELD_BACK_SQL.format(issues=ISSUES_SQL)),
        held_back_total=one(connection, HELD_BACK_TOTAL_SQL.format(held_back=HELD_BACK_SQL.format(issues=ISSUES_SQL))),
        issues=issues,
        issue_rates=rows(connection, ISSUE_RATES_SQL, [EVENTS_WINDOW_MIN_ROWS]),
        tree=tree_rows(connection, first=not then, accounts=tree_accounts),
        tree_accounts=tree_accounts,
    )
