"""The floor the benchmark compares against: the core transformation as one plain DuckDB script.

    python bench/floor.py RAW_DIR OUT_DIR

Reads the four raw CSV exports, deduplicates accounts (latest update), subscriptions, users (latest login) and
events (first id), rolls subscriptions up into product accounts, resolves users to product accounts and events
to users, converts timestamps to UTC, and writes accounts.csv, users.csv and usage.csv. No tests, no data-issues
record, no cycle repair, nothing kept on disk but the outputs: what a hand-written script would do, the least
work the job needs.
"""

from __future__ import annotations

import sys
from pathlib import Path

import duckdb

SCRIPT = """
set TimeZone = 'UTC';

create temp table accounts as
select * from (
    select
        trim(account_id) as account_id,
        trim(account_name) as account_name,
        nullif(trim(parent_account_id), '') as parent_id,
        row_number() over (partition by trim(account_id)
                           order by try_cast(updated_at as timestamptz) desc nulls last) as version
    from read_csv('{raw}/raw_crm_accounts.csv', header = true, all_varchar = true)
    where nullif(trim(account_id), '') is not null
) where version = 1;

create temp table product_accounts as
select
    trim(account_id) || '__' || lower(trim(product)) as product_account_id,
    trim(account_id) as account_id,
    lower(trim(product)) as product_key,
    case when bool_or(lower(status) = 'active') then 'active'
         when bool_or(lower(status) = 'trial') then 'trial' else 'churned' end as status,
    sum(try_cast(contract_value as decimal(18, 2))) filter (where lower(status) in ('active', 'trial'))
        as contract_value
from read_csv('{raw}/raw_crm_subscriptions.csv', header = true, all_varchar = true)
where trim(account_id) in (select account_id from accounts)
  and lower(trim(status)) in ('active', 'trial', 'cancelled', 'expired')
group by all;

create temp table users as
select * from (
    select
        trim(user_id) as user_id,
        lower(trim(email)) as email,
        trim(account_id) || '__' || lower(trim(product)) as product_account_id,
        first_name, last_name,
        row_number() over (partition by trim(user_id)
                           order by try_cast(last_login_at as timestamptz) desc nulls last) as version
    from read_csv('{raw}/raw_app_users.csv', header = true, all_varchar = true)
    where nullif(trim(user_id), '') is not null and email like '%_@_%._%'
) where version = 1
  and product_account_id in (select product_account_id from product_accounts);

copy (
    select account_id as "Account ID", account_name as "Account Name", parent_id as "Parent ID"
    from accounts
    union all
    select product_account_id, product_key, account_id from product_accounts
) to '{out}/accounts.csv' (header);

copy (
    select email as "User ID", product_account_id as "Account ID", first_name, last_name
    from users order by product_account_id, email
) to '{out}/users.csv' (header);

copy (
    select
        users.email as "User ID",
        users.product_account_id as "Account ID",
        trim(events.action) as "Action",
        trim(events.module) as "Module",
        strftime(events.occurred_at, '%Y-%m-%dT%H:%M:%S.%gZ') as "Timestamp"
    from (
        select
            trim(event_id) as event_id,
            any_value(trim(user_id)) as user_id,
            any_value(module) as module,
            any_value(action) as action,
            any_value(try_cast(trim(occurred_at) as timestamptz) at time zone 'UTC') as occurred_at
        from read_csv('{raw}/raw_app_events.csv', header = true, all_varchar = true)
        where nullif(trim(event_id), '') is not null
        group by trim(event_id)
    ) as events
    inner join users on events.user_id = users.user_id
    where events.occurred_at is not null
      and nullif(trim(events.module), '') is not null and nullif(trim(events.action), '') is not null
    order by events.occurred_at, events.event_id
) to '{out}/usage.csv' (header);
"""


def main() -> int:
    raw_dir, out_dir = Path(sys.argv[1]), Path(sys.argv[2])
    out_dir.mkdir(parents=True, exist_ok=True)
    with duckdb.connect() as connection:
        connection.execute("set threads = 2")
        connection.execute(SCRIPT.format(raw=raw_dir, out=out_dir))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
