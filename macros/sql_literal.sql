{#- A text value as a SQL string literal, quotes doubled: every value that reaches SQL from outside (a path, a
    var, a node name) goes through here, so a quote in it can never end the literal early. -#}
{% macro sql_literal(value) -%}
    '{{ value | string | replace("'", "''") }}'
{%- endmacro %}
