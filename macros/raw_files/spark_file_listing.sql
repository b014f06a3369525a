{% macro spark_file_listing(folder) -%}
    {%- do run_query("create or replace temporary view totango_raw_listing using binaryFile options (path "
        ~ sql_literal(folder) ~ ", recursiveFileLookup 'true')") -%}
    {#- Only the paths are read, not the files' content. A local file comes as file:/the/path. -#}
    {%- set paths = [] -%}
    {%- for row in run_query('select path from totango_raw_listing') -%}
        {%- do paths.append(row[0][5:] if row[0].startswith('file:/') and folder.startswith('/') else row[0]) -%}
    {%- endfor -%}
    {{- return(paths) -}}
{%- endmacro %}
