{#- Text of the ISO shape (checked by the caller) as a UTC timestamp, null when the engine cannot read it
    (2026-02-30). Spark reads no time without seconds (10:00Z), which DuckDB reads, so ":00" is added first. -#}
{% macro iso_text_to_utc_timestamp(text_expression) -%}
    {{- return(adapter.dispatch('iso_text_to_utc_timestamp', 'totango_feed')(text_expression)) -}}
{%- endmacro %}

{% macro default__iso_text_to_utc_timestamp(text_expression) -%}
    try_cast({{ text_expression }} as timestamptz) at time zone 'UTC'
{%- endmacro %}

{% macro spark__iso_text_to_utc_timestamp(text_expression) -%}
    cast(try_cast(
        regexp_replace({{ text_expression }}, {{ regex_literal('^([0-9]{4}-[0-9]{2}-[0-9]{2}[T ][0-9]{2}:[0-9]{2})(?!:)') }}, '$1:00')
        as timestamp
    ) as timestamp_ntz)
{%- endmacro %}
