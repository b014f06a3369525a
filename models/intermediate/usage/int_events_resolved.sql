-- One row per event that counts (int_events_checked: the row its id is, or was, sent as), with the Totango user
-- its user id stands for today (int_users_checked) and its time in UTC: the events to send (was_sent false) and
-- those an earlier export sent (was_sent true), which only export.py --full sends again. A view: the users of an
-- event are looked up when it is read, and an export reads only the events to send. Which of them go into a file
-- is export.py's to decide, from its ledger of sent event ids.
{{ config(materialized='view') }}

with

checked as (
    select * from {{ ref('int_events_checked') }}
),

users as (
    select * from {{ ref('int_users_checked') }}
),

-- Each user id that stands for a Totango user, as int_events_checked finds them (macro event_users).
event_users as (
    {{ event_users('users') }}
),

used as (
    select * from checked
    where rejection_code is null
)

select
    used.event_id,
    event_users.email,
    event_users.product_account_id,
    used.account_id,
    used.product_name,
    used.user_id,
    used.module,
    used.action,
    used.occurred_at,
    used.was_sent,
    used.file_hash,
    used.file_copy,
    used.file_row_number
from used
inner join event_users
    on used.user_id = event_users.user_id
