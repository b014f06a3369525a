-- The usage rows in Totango's columns, keyed by event_id (with the file row it came from, which the ledger records,
-- and whether an earlier export sent it), with usage_order_key, the order of usage.csv: by time,
-- then by event id. The usage mart orders by it, and export.py, which reads the rows here (where the event id
-- is, for its ledger of sent events), orders by it too: the order is decided here only.
-- A view on DuckDB: formatting ten million rows is cheaper than storing them again. A table on Spark, whose views
-- are only catalog entries: export.py reads Spark's tables from their Parquet files, with DuckDB.
{{ config(materialized='table' if target.type == 'spark' else 'view') }}

with

events as (
    select * from {{ ref('int_events_resolved') }}
)

select
    event_id,
    was_sent,
    file_hash,
    file_row_number,
    {{ struct_of([('occurred_at', 'occurred_at'), ('event_id', 'event_id')]) }} as usage_order_key,
    {{- output_select('usage.csv', {
        'User ID': 'email',
        'Account ID': 'product_account_id',
        'Action': 'action',
        'Module': 'module',
        'Timestamp': to_totango_timestamp('occurred_at'),
    }) }}
from events
