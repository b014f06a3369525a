{#- In a select list: one row per item of the list, the other columns repeated. -#}
{% macro unnest_list(expression) -%}
    {{- return(adapter.dispatch('unnest_list', 'totango_feed')(expression)) -}}
{%- endmacro %}

{% macro default__unnest_list(expression) -%}unnest({{ expression }}){%- endmacro %}

{% macro spark__unnest_list(expression) -%}explode({{ expression }}){%- endmacro %}
