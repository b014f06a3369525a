{#- SQL whose names are written in standard SQL's double quotes ("User ID"), in the engine's own quoting: DuckDB
    reads them as they are; Spark reads "..." as a string literal (silently: "User ID" = "Email" compares two
    texts), so there they become `User ID`. For what dbt does not render (a generic test's column_name), where
    quote_identifier cannot be called; everywhere else names go through quote_identifier. -#}
{% macro engine_identifiers(sql) -%}
    {{- return(adapter.dispatch('engine_identifiers', 'totango_feed')(sql)) -}}
{%- endmacro %}

{% macro default__engine_identifiers(sql) -%}
    {{- return(sql) -}}
{%- endmacro %}

{% macro spark__engine_identifiers(sql) -%}
    {{- return(modules.re.sub('"([^"`]*)"', '`\\1`', sql)) -}}
{%- endmacro %}
