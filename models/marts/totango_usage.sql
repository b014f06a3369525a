-- usage.csv: one row per activity, in Totango's columns, in time order. A view: at millions of events a
-- third copy of them on disk costs more than sorting them once while the export writes the file.
{{ config(materialized='view') }}

with

usage_rows as (
    select * from {{ ref('int_usage_rows') }}
)

select
    "User ID",
    "Account ID",
    "Action",
    "Module",
    "Timestamp"
from usage_rows
order by occurred_at, event_id
