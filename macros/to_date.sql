{#- An ISO text date (YYYY-MM-DD) as a date, or null when it cannot be read (e.g. Excel's 31/12/2020). -#}
{% macro to_date(column_name) -%}
    {{ try_cast_text(column_name, "date") }}
{%- endmacro %}
