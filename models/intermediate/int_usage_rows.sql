-- The usage rows in Totango's columns, keyed by event_id and with their time, unordered. The usage mart
-- orders them for usage.csv; export.py reads them here, where the event id is, to send each event once
-- (its ledger records event ids). A view: formatting ten million rows is cheaper than storing them again.
{{ config(materialized='view') }}

with

events as (
    select * from {{ ref('int_events_resolved') }}
)

select
    event_id,
    occurred_at,
    email as "User ID",
    product_account_id as "Account ID",
    action as "Action",
    module as "Module",
    {{ to_totango_timestamp('occurred_at') }} as "Timestamp"
from events
