{#- The table of kept header rows, made where it is missing, and made again where the database has a table of
    another shape under its name (an older layout, damage): it holds nothing a build could trust then. -#}
{% macro prepare_csv_header_rows_table() -%}
    {%- set shape = 'file_hash VARCHAR, reader VARCHAR, header_row VARCHAR' -%}
    {%- set found = run_query("select coalesce(string_agg(column_name || ' ' || data_type, ', ' order by "
        ~ "ordinal_position), '') from information_schema.columns where table_catalog = current_database() and "
        ~ "table_schema = 'audit' and table_name = 'csv_header_rows'").rows[0][0] -%}
    {%- if found and found != shape -%}{%- do run_query('drop table audit.csv_header_rows') -%}{%- endif -%}
    {%- do run_query('create schema if not exists audit; create table if not exists audit.csv_header_rows ('
        ~ 'file_hash varchar not null, reader varchar not null, header_row varchar not null)') -%}
{%- endmacro %}
