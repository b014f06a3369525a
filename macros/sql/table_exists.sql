{#- Whether a table is in the database now. Asked of the database, not of dbt's cache of relations, which does not
    know what an on-run-start hook made in this run. -#}
{% macro table_exists(relation) -%}
    {{- return(adapter.dispatch('table_exists', 'totango_feed')(relation)) -}}
{%- endmacro %}

{% macro default__table_exists(relation) -%}
    {%- set found = run_query("select count(*) from information_schema.tables where table_schema = "
        ~ sql_literal(relation.schema) ~ " and table_name = " ~ sql_literal(relation.identifier)) -%}
    {{- return(found.columns[0].values()[0] > 0) -}}
{%- endmacro %}

{% macro spark__table_exists(relation) -%}
    {%- set found = run_query("show tables in " ~ relation.schema ~ " like " ~ sql_literal(relation.identifier)) -%}
    {{- return(found.rows | length > 0) -}}
{%- endmacro %}
