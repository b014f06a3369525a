{#- A list of text values of a var (statuses) as a SQL list, each in NFC as the values it is compared with:
    a status typed in dbt_project.yml and the same status in a macOS export are one status. -#}
{% macro nfc_sql_list(values) -%}
    ({% for value in values %}{{ nfc(sql_literal(value)) }}{{ ", " if not loop.last }}{% endfor %})
{%- endmacro %}
