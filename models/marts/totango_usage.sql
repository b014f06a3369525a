-- sqlfluff:exclude_rules:layout.indent
-- (the column list comes from a Jinja loop over macro output_columns, which sqlfluff cannot follow.)
-- usage.csv: one row per activity, in Totango's columns, in the order of int_usage_rows_formatted. A view: at
-- millions of events a third copy of them on disk costs more than sorting them once while the export writes.
{{ config(materialized='view') }}

with

usage_rows as (
    select * from {{ ref('int_usage_rows_formatted') }}
)

select
    {%- for column in output_columns('usage.csv') %}
    {{ quote_identifier(column.name) }}{{ ',' if not loop.last }}
    {%- endfor %}
from usage_rows
order by usage_order_key
