{#- Said after `as` of a CTE that is a whole stored table (`events as {{ read_where_used() }} (...)`): the query reads
    the table at each place that uses the CTE. DuckDB otherwise materializes a CTE used more than once: a copy of
    every row and column of the table (at ten million events, gigabytes spilled to disk), where each use needs only
    a few rows or columns of it. Spark inlines CTEs by itself and has no such keyword. -#}
{% macro read_where_used() -%}
    {{- return(adapter.dispatch('read_where_used', 'totango_feed')()) -}}
{%- endmacro %}

{% macro default__read_where_used() -%}{%- endmacro %}

{% macro duckdb__read_where_used() -%}not materialized{%- endmacro %}
