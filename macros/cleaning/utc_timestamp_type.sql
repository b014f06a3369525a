{#- The type of a UTC timestamp without zone: DuckDB's timestamp; Spark's timestamp is an instant shown in the
    session zone, its timestamp_ntz the wall-clock value DuckDB's timestamp is (and Parquet keeps as such). -#}
{% macro utc_timestamp_type() -%}
    {{- return(adapter.dispatch('utc_timestamp_type', 'totango_feed')()) -}}
{%- endmacro %}

{% macro default__utc_timestamp_type() -%}timestamp{%- endmacro %}

{% macro spark__utc_timestamp_type() -%}timestamp_ntz{%- endmacro %}
