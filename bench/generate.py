"""Write contract-shaped raw exports of a given size into a folder, for the benchmark.

    python bench/generate.py --events 1000000 --out bench/data/1m [--format csv|parquet] [--new-events N] [--days N]

Sizes follow the event count: one account per 500 events (trees two levels deep), about two and a half
subscription lines per account, one user per 20 events. About 1% of rows are bad in the ways the contract
names (re-delivered events, blank ids, unreadable timestamps, unknown users, duplicate accounts and users).
DuckDB generates and writes everything, deterministically (hash of the row number), in seconds. With
--new-events, new_events.csv holds a later day's events (new ids, the same mix of bad rows). With --days N, the
events are written as a folder raw_app_events/ of N day files (day-001.csv...), the layout of a feed that has
run N days (instead of one file raw_app_events.csv); each day file holds its own ids (its re-deliveries are of
its own events).
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path

import duckdb

ACCOUNTS_SQL = """
create table accounts as
with base as (
    select
        i,
        'A' || i as account_id,
        case when i % 10 = 0 or i < 10 then null else 'A' || (i - i % 10) end as parent_account_id
    from range({accounts}) as r(i)
)
select
    case when i % 997 = 5 then '' else account_id end as account_id,
    'Account ' || i || case when i % 53 = 0 then ', Inc.' else '' end as account_name,
    coalesce(parent_account_id, '') as parent_account_id,
    ['Software', 'Retail', 'Finance'][1 + i % 3] as industry,
    ['NA', 'EMEA', 'APAC'][1 + i % 3] as region,
    ['Enterprise', 'SMB'][1 + i % 2] as segment,
    'csm' || (i % 7) || '@ourco.com' as csm_email,
    strftime(date '2020-01-01' + (i % 1500)::integer, '%Y-%m-%d') as created_at,
    strftime(timestamp '2026-01-01' + to_seconds(i % 900000), '%Y-%m-%dT%H:%M:%SZ') as updated_at
from base
union all
-- Duplicate accounts, older: dropped.
select 'A' || i, 'Old name ' || i, '', '', '', '', '', '', '2020-01-01T00:00:00Z'
from range(0, {accounts}, 211) as r(i)
"""

SUBSCRIPTIONS_SQL = """
create table subscriptions as
select
    'S' || i as subscription_id,
    'A' || (i // 3) as account_id,
    ['Analytics', 'Engage', 'Data Hub'][1 + (i // 3 + (i % 3 = 2)::integer) % 3] as product,
    ['Starter', 'Pro', 'Enterprise'][1 + i % 3] as plan,
    (5 + i % 50)::varchar as seats,
    (100 * (1 + i % 200))::varchar || '.00' as contract_value,
    case when i % 4 = 0 then '' else 'USD' end as currency,
    strftime(date '2024-01-01' + (i % 700)::integer, '%Y-%m-%d') as start_date,
    strftime(date '2025-01-01' + (i % 700)::integer, '%Y-%m-%d') as renewal_date,
    case when i % 499 = 7 then 'pending' else ['active', 'active', 'trial', 'cancelled', 'expired'][1 + i % 5] end
        as status
from range({accounts} * 3) as r(i)
where hash(i) % 6 != 0
"""

USERS_SQL = """
create table users as
with base as (
    select i, pa.account_id, pa.product
    from range({users}) as r(i)
    inner join product_accounts as pa on pa.pa = (hash(i) % {product_accounts})::bigint
)
select
    case when i % 1009 = 3 then '' else 'U' || i end as user_id,
    case when i % 1013 = 4 then 'bad@' else 'User' || i || '@' || lower(account_id) || '.example.com' end as email,
    account_id,
    product,
    'First' || (i % 100) as first_name,
    'Last' || (i % 300) as last_name,
    ['admin', 'member', 'viewer'][1 + i % 3] as role,
    'Title ' || (i % 20) as title,
    ['yes', 'no', 'true', '0'][1 + i % 4] as is_key_contact,
    strftime(timestamp '2025-01-01' + to_seconds(i % 9000000), '%Y-%m-%dT%H:%M:%SZ') as created_at,
    strftime(timestamp '2026-10-01' + to_seconds(i % 2000000), '%Y-%m-%dT%H:%M:%SZ') as last_login_at
from base
union all
-- Duplicate users, older login: dropped.
select 'U' || i, 'user' || i || '@dup.example.com', account_id, product, '', '', '', '', '', '',
    '2020-01-01T00:00:00Z'
from base where i % 503 = 0
"""

PRODUCT_ACCOUNTS_SQL = """
create table product_accounts as
select row_number() over (order by account_id, product) - 1 as pa, account_id, product
from (select distinct account_id, product from subscriptions where status != 'pending')
"""

EVENTS_SQL = """
copy (
    with picked as (
        select i, (hash(i * 7 + 1) % {users})::bigint as user_number
        from range({first}, {stop}) as r(i)
    ),
    events as (
        select
            case when i % 1000 = 1 then '' else 'E' || i end as event_id,
            case when i % 1000 = 2 then 'U-unknown' else 'U' || picked.user_number end as user_id,
            u.account_id,
            u.product,
            case when i % 1000 = 3 then '' else ['Reports', 'Dashboards', 'Campaigns'][1 + i % 3] end as module,
            ['View report', 'Export report', 'Create dashboard', 'Send campaign'][1 + i % 4] as action,
            case
                when i % 1000 = 4 then '11/03/2026 14:02'
                else strftime(timestamp '2026-11-01' + to_seconds(i % 2592000), '%Y-%m-%dT%H:%M:%S')
                    || ['Z', '+02:00', '-05:00', ''][1 + i % 4]
            end as occurred_at
        from picked
        inner join users as u on u.user_id = 'U' || picked.user_number
    )
    select * from events
    union all
    -- Re-delivered events: the same id again.
    select * from events where event_id != '' and hash(event_id) % 200 = 0
) to '{path}' ({options})
"""


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--events", type=int, required=True, help="number of distinct events")
    parser.add_argument("--out", type=Path, required=True)
    parser.add_argument("--format", choices=["csv", "parquet"], default="csv")
    parser.add_argument(
        "--new-events",
        type=int,
        default=0,
        help="also write new_events.<format>: this many more events with ids no export holds yet (a day's new events)",
    )
    parser.add_argument(
        "--days",
        type=int,
        default=0,
        help="write the events as raw_app_events/ holding this many day files of equal size, not as one file",
    )
    args = parser.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    sizes = {"accounts": max(20, args.events // 500), "users": max(20, args.events // 20), "events": args.events}
    options = "format parquet" if args.format == "parquet" else "format csv, header true"
    started = time.perf_counter()
    with duckdb.connect() as connection:
        connection.execute(ACCOUNTS_SQL.format(**sizes))
        connection.execute(SUBSCRIPTIONS_SQL.format(**sizes))
        connection.execute(PRODUCT_ACCOUNTS_SQL)
        product_accounts = connection.execute("select count(*) from product_accounts").fetchone()[0]
        connection.execute(USERS_SQL.format(**sizes, product_accounts=product_accounts))
        for table, name in [
            ("accounts", "raw_crm_accounts"),
            ("subscriptions", "raw_crm_subscriptions"),
            ("users", "raw_app_users"),
        ]:
            path = args.out / f"{name}.{args.format}"
            connection.execute(f"copy {table} to '{path}' ({options})")
        names = ["raw_crm_accounts", "raw_crm_subscriptions", "raw_app_users"]
        if not args.days:
            events_path = args.out / f"raw_app_events.{args.format}"
            connection.execute(EVENTS_SQL.format(**sizes, first=0, stop=args.events, path=events_path, options=options))
            names.append("raw_app_events")
        if args.new_events:
            new_path = args.out / f"new_events.{args.format}"
            stop = args.events + args.new_events
            connection.execute(EVENTS_SQL.format(**sizes, first=args.events, stop=stop, path=new_path, options=options))
            names.append("new_events")
        if args.days:
            days_folder = args.out / "raw_app_events"
            days_folder.mkdir(exist_ok=True)
            for day in range(args.days):
                first, stop = args.events * day // args.days, args.events * (day + 1) // args.days
                day_path = days_folder / f"day-{day + 1:03d}.{args.format}"
                connection.execute(EVENTS_SQL.format(**sizes, first=first, stop=stop, path=day_path, options=options))
            print(f"{days_folder}: {args.days} day files")
        for name in names:
            path = args.out / f"{name}.{args.format}"
            reader = "read_parquet" if args.format == "parquet" else "read_csv"
            rows = connection.execute(f"select count(*) from {reader}('{path}')").fetchone()[0]
            print(f"{path}: {rows} rows, {path.stat().st_size / 1e6:.1f} MB")
    print(f"generated in {time.perf_counter() - started:.1f} s")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
