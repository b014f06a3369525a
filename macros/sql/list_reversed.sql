{#- The list in reverse order. -#}
{% macro list_reversed(expression) -%}
    {{- return(adapter.dispatch('list_reversed', 'totango_feed')(expression)) -}}
{%- endmacro %}

{% macro default__list_reversed(expression) -%}list_reverse({{ expression }}){%- endmacro %}

{% macro spark__list_reversed(expression) -%}reverse({{ expression }}){%- endmacro %}
