{#- A table made from a select, as each engine stores one (Spark: Parquet, as every table here). -#}
{% macro create_table_as_select(relation_name, select_sql) -%}
    {%- if target.type == 'spark' -%}
        {%- do run_query('create table ' ~ relation_name ~ ' using parquet as ' ~ select_sql) -%}
    {%- else -%}
        {%- do run_query('create table ' ~ relation_name ~ ' as ' ~ select_sql) -%}
    {%- endif -%}
{%- endmacro %}
