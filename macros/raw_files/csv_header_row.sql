{#- The first row of a CSV file as DuckDB reads it with the stated dialect, every field as text (a blank one as
    null), or none for a file without rows; only the number of fields is left to DuckDB to find. Stops the build
    where line 1 cannot be the header row (totango_feed/sql.py csv_start_problem, the check's own judgement, in its
    words): an empty file (only blank space), or a blank line 1, which DuckDB's sniffer skips here and its reader
    does not (the header row was then read as a data row). -#}
{% macro csv_header_row(file) -%}
    {%- set problem = run_query('select totango_csv_start_problem(' ~ sql_literal(file) ~ ')').rows[0][0] -%}
    {%- if problem -%}{%- do exceptions.raise_compiler_error(file ~ ': line 1: ' ~ problem) -%}{%- endif -%}
    {%- set header = run_query('select * from read_csv(' ~ sql_literal(glob_escape(file)) ~ ', header = false, '
        ~ 'all_varchar = true, ' ~ csv_dialect() ~ ') limit 1') -%}
    {{- return(header.rows[0] | list if header.rows else none) -}}
{%- endmacro %}
