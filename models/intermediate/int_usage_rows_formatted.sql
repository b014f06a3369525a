-- The usage rows in Totango's columns, keyed by event_id, with usage_order_key, the order of usage.csv: by time,
-- then by event id. The usage mart orders by it, and export.py, which reads the rows here (where the event id
-- is, for its ledger of sent events), orders by it too: the order is decided here only.
-- A view: formatting ten million rows is cheaper than storing them again.
{{ config(materialized='view') }}

with

events as (
    select * from {{ ref('int_events_resolved') }}
)

select
    event_id,
    {
        'occurred_at': occurred_at,
        'event_id': event_id
    } as usage_order_key,
    email as "User ID",
    product_account_id as "Account ID",
    {{ within_limit('action', 'action') }} as "Action",
    {{ within_limit('module', 'module') }} as "Module",
    {{ to_totango_timestamp('occurred_at') }} as "Timestamp"
from events
