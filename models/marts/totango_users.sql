-- sqlfluff:exclude_rules:layout.indent
-- (the column list comes from a Jinja loop over macro output_columns, which sqlfluff cannot follow.)
-- users.csv, in its order: the rows of int_users_formatted, by product account then user.
-- At 5M users, sorting and storing every row took 10 s of each daily build (docs/benchmark.md), though the users
-- export rarely changes from one day to the next. So on DuckDB the stored rows stay when today's rows are the same
-- (incremental): the pre-hook forget_rows_if_output_changed empties the table when they are not, and the select
-- below then stores them all again, in order; kept, it adds nothing. The strategy replace_if_columns_changed
-- recreates the table when its columns change (var user_attributes). dbt asks a contract's incremental model for
-- append_new_columns, which adds a new column before the strategy sees it, and fails on a name changed only in
-- letter case (DuckDB's names are not case-sensitive): only the fixed columns have a contract, so attributes get
-- 'ignore' and leave all changes to the strategy. A --full-refresh, and Spark, store them whole.
-- The contract is enforced when no custom attribute is configured (tests/assert_file_headers.sql checks the fixed
-- columns).
{%- set attributes = file_attributes(['user']) %}
{{ config(
    contract={'enforced': attributes | length == 0},
    materialized='table' if target.type == 'spark' else 'incremental',
    incremental_strategy='replace_if_columns_changed',
    on_schema_change='append_new_columns' if attributes | length == 0 else 'ignore',
    pre_hook="{{ forget_rows_if_output_changed(this, ref('int_users_formatted')) }}",
) }}

with

users as (
    select * from {{ ref('int_users_formatted') }}
)

select
    {%- for column in output_columns('users.csv') + attributes %}
    {{ quote_identifier(column.name) }}{{ ',' if not loop.last }}
    {%- endfor %}
from users
{%- if is_incremental() %}
-- Empty only when the pre-hook emptied it: today's rows differ from those stored.
where not exists (select 1 from {{ this }})
{%- endif %}
order by {{ quote_identifier('Account ID') }}, {{ quote_identifier('User ID') }}
