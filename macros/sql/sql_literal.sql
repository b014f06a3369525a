{#- A text value as a SQL string literal: every value that reaches SQL from outside (a path, a var, a node name)
    goes through here, so that nothing in it can end the literal early. DuckDB's literals only need the quote
    doubled; Spark's also read a backslash as an escape ('\s' is 's'), so there it is doubled too. -#}
{% macro sql_literal(value) -%}
    {{- return(adapter.dispatch('sql_literal', 'totango_feed')(value)) -}}
{%- endmacro %}

{% macro default__sql_literal(value) -%}
    '{{ value | string | replace("'", "''") }}'
{%- endmacro %}

{% macro spark__sql_literal(value) -%}
    '{{ value | string | replace("\\", "\\\\") | replace("'", "''") }}'
{%- endmacro %}
