-- One row per event that counts (int_events_checked: its row with no rejection), with its Totango user and UTC
-- time: the events to send (was_sent false), each resolved when it was checked, and those an earlier export sent
-- (was_sent true), resolved here against today's users only for whoever reads them (export.py --full sends every
-- event again). Which rows go into a file is export.py's to decide, from its ledger of sent event ids.
{{ config(materialized='view') }}

with

checked as (
    select * from {{ ref('int_events_checked') }}
),

users as (
    select * from {{ ref('int_users_checked') }}
),

used as (
    select * from checked
    where rejection_code is null
),

to_send as (
    select
        event_id,
        email,
        product_account_id,
        module,
        action,
        occurred_at,
        was_sent,
        file_hash,
        file_row_number
    from used
    where not was_sent
),

sent_before as (
    select
        used.event_id,
        users.email,
        users.product_account_id,
        used.module,
        used.action,
        used.occurred_at,
        used.was_sent,
        used.file_hash,
        used.file_row_number
    from used
    inner join users
        on used.user_id = users.user_id and users.is_event_user
    where used.was_sent
)

select * from to_send
union all
select * from sent_before
