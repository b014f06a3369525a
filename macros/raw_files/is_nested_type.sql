{#- Whether an engine's type name is of a column holding more than one value: a list, a struct, a map (DuckDB's
    STRUCT(...), MAP(...), VARCHAR[]; Spark's struct<...>, array<...>, map<...>). -#}
{% macro is_nested_type(data_type) -%}
    {{- return(modules.re.search('^(struct|map|union|array)[(<]|\\]$', data_type | lower) is not none) -}}
{%- endmacro %}
