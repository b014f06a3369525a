{#- Trimmed text, with an empty or all-blank value made null: raw exports mean "no value" by a blank cell. -#}
{% macro clean_text(column_name) -%}
    nullif(trim({{ column_name }}), '')
{%- endmacro %}
