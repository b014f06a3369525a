{#- A UTC timestamp as Totango's text form: YYYY-MM-DDTHH:MM:SS.sssZ (docs/contract/output-files.md). -#}
{% macro to_totango_timestamp(column_name) -%}
    {{- return(adapter.dispatch('to_totango_timestamp', 'totango_feed')(column_name)) -}}
{%- endmacro %}

{% macro default__to_totango_timestamp(column_name) -%}
    strftime({{ column_name }}, '%Y-%m-%dT%H:%M:%S.%gZ')
{%- endmacro %}

{% macro spark__to_totango_timestamp(column_name) -%}
    date_format({{ column_name }}, 'yyyy-MM-dd''T''HH:mm:ss.SSS''Z''')
{%- endmacro %}
