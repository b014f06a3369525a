{#- A name (a column, a Totango attribute) as a quoted identifier of the engine, the quote character doubled
    inside: a name from outside (a var, a raw header) can hold any character and stays a name, never SQL
    (adapter.quote on DuckDB does not double a " inside). DuckDB quotes with ", Spark with backticks. -#}
{% macro quote_identifier(name) -%}
    {{- return(adapter.dispatch('quote_identifier', 'totango_feed')(name)) -}}
{%- endmacro %}

{% macro default__quote_identifier(name) -%}
    {{- return('"' ~ (name | string | replace('"', '""')) ~ '"') -}}
{%- endmacro %}

{% macro spark__quote_identifier(name) -%}
    {{- return('`' ~ (name | string | replace('`', '``')) ~ '`') -}}
{%- endmacro %}
