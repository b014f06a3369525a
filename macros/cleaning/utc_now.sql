{#- Now, in UTC, as a timestamp without zone (for the build record). -#}
{% macro utc_now() -%}
    {{- return(adapter.dispatch('utc_now', 'totango_feed')()) -}}
{%- endmacro %}

{% macro default__utc_now() -%}current_timestamp::timestamp{%- endmacro %}

{% macro spark__utc_now() -%}cast(current_timestamp() as timestamp_ntz){%- endmacro %}
