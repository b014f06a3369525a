{#- A UTC timestamp as Totango's text form: YYYY-MM-DDTHH:MM:SS.sssZ (output-files.md). -#}
{% macro to_totango_timestamp(column_name) -%}
    strftime({{ column_name }}, '%Y-%m-%dT%H:%M:%S.%gZ')
{%- endmacro %}
