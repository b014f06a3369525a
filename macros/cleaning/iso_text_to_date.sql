{#- Text of the ISO shape (checked by the caller) as the date written in it. DuckDB's cast refuses a date whose
    time cannot be read; Spark's reads the date and ignores the rest, so there the whole timestamp must read. -#}
{% macro iso_text_to_date(text_expression) -%}
    {{- return(adapter.dispatch('iso_text_to_date', 'totango_feed')(text_expression)) -}}
{%- endmacro %}

{% macro default__iso_text_to_date(text_expression) -%}
    try_cast({{ text_expression }} as date)
{%- endmacro %}

{% macro spark__iso_text_to_date(text_expression) -%}
    case
        when {{ spark__iso_text_to_utc_timestamp(text_expression) }} is not null
            then try_cast({{ text_expression }} as date)
    end
{%- endmacro %}
