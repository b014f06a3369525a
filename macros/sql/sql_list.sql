{#- A list of text values (e.g. a var) as a SQL list of quoted literals: ('active', 'trial'). -#}
{% macro sql_list(values) -%}
    ({% for value in values %}{{ sql_literal(value) }}{{ ", " if not loop.last }}{% endfor %})
{%- endmacro %}
