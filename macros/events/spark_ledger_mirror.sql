{% macro spark_ledger_mirror() -%}
    {%- do run_query('create schema if not exists ledger') -%}
    {%- do run_query('create table if not exists ledger.exported_events (event_id string, run_id string, '
        ~ 'source_file_hash string, source_file_row_number bigint, sent_account_id string) using parquet') -%}
{%- endmacro %}
