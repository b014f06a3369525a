{#- Every column of a relation but those named: DuckDB writes * exclude (...), Spark * except (...). -#}
{% macro star_except(columns, relation=none) -%}
    {{- return(adapter.dispatch('star_except', 'totango_feed')(columns, relation)) -}}
{%- endmacro %}

{% macro default__star_except(columns, relation) -%}
    {{ relation ~ '.' if relation }}* exclude ({{ columns | join(', ') }})
{%- endmacro %}

{% macro spark__star_except(columns, relation) -%}
    {{ relation ~ '.' if relation }}* except ({{ columns | join(', ') }})
{%- endmacro %}
