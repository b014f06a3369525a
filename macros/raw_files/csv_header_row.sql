{#- The first row of a CSV file as DuckDB reads it with the stated dialect, every field as text (a blank one as
    null), or none for a file without rows; only the number of fields is left to DuckDB to find. -#}
{% macro csv_header_row(file) -%}
    {%- set header = run_query('select * from read_csv(' ~ sql_literal(glob_escape(file)) ~ ', header = false, '
        ~ 'all_varchar = true, ' ~ csv_dialect() ~ ') limit 1') -%}
    {{- return(header.rows[0] | list if header.rows else none) -}}
{%- endmacro %}
