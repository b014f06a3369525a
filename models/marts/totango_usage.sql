-- usage.csv: one row per activity, in Totango's columns, in the order of int_usage_rows_formatted. A view: at
-- millions of events a third copy of them on disk costs more than sorting them once while the export writes.
{{ config(materialized='view') }}

with

usage_rows as (
    select * from {{ ref('int_usage_rows_formatted') }}
)

select
    {{ quote_identifier('User ID') }},
    {{ quote_identifier('Account ID') }},
    {{ quote_identifier('Action') }},
    {{ quote_identifier('Module') }},
    {{ quote_identifier('Timestamp') }}
from usage_rows
order by usage_order_key
