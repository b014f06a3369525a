{#- The top-level columns of a Parquet file, each {name, type} (DuckDB's types), that the view passes on
    (macro read_flat_columns). -#}
{% macro parquet_read_columns(file, export_name) -%}
    {%- set described = [] -%}
    {%- for row in run_query('describe select * from read_parquet(' ~ sql_literal(glob_escape(file))
        ~ ', hive_partitioning = false)') -%}
        {%- do described.append({'name': row[0], 'type': row[1]}) -%}
    {%- endfor -%}
    {%- do refuse_unusable_headers(file, described | map(attribute='name') | list) -%}
    {{- return(read_flat_columns(file, export_name, described)) -}}
{%- endmacro %}
