{#- Lists (DuckDB) and arrays (Spark) where the two spell them differently; dbt's cross-database macros
    array_construct and array_append cover building them, and array_contains is the same on both. -#}

{#- How many items a list holds. -#}
{% macro list_size(expression) -%}
    {{- return(adapter.dispatch('list_size', 'totango_feed')(expression)) -}}
{%- endmacro %}

{% macro default__list_size(expression) -%}len({{ expression }}){%- endmacro %}

{% macro spark__list_size(expression) -%}size({{ expression }}){%- endmacro %}
