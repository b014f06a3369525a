{#- The column names of a CSV file, from its header row (the first row, read with the stated dialect; only the
    number of fields is left to DuckDB to find): a blank header (a trailing comma) is named by its position under
    a name of the build's own. Stops the build, naming the file and the headers, where a name cannot be told
    apart from another or from the build's own (macro refuse_unusable_headers). -#}
{% macro csv_column_names(file) -%}
    {%- set header = run_query('select * from read_csv(' ~ sql_literal(glob_escape(file)) ~ ', header = false, '
        ~ 'all_varchar = true, ' ~ csv_dialect() ~ ') limit 1') -%}
    {%- set names = [] -%}
    {%- for name in (header.rows[0] | list if header.rows else []) -%}
        {%- do names.append(name if name else '__totango_feed_blank_' ~ loop.index0) -%}
    {%- endfor -%}
    {%- do refuse_unusable_headers(file, header.rows[0] | reject('none') | list if header.rows else []) -%}
    {{- return(names) -}}
{%- endmacro %}
