-- usage.csv: one row per activity, in Totango's columns, in time order. A view: at millions of events a
-- third copy of them on disk costs more than sorting them once while the export writes the file.
{{ config(materialized='view') }}

with

events as (
    select * from {{ ref('int_events_resolved') }}
)

select
    email as "User ID",
    product_account_id as "Account ID",
    action as "Action",
    module as "Module",
    {{ to_totango_timestamp('occurred_at') }} as "Timestamp"
from events
order by occurred_at, event_id
