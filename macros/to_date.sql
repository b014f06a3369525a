{#- A cleaned text date (YYYY-MM-DD, or an ISO timestamp, of which the date is taken as written) as a date, or
    null when it cannot be read (e.g. Excel's 31/12/2020, the word epoch, or a time of 25:00) or falls outside the
    accepted range. -#}
{% macro to_date(text_expression) -%}
    case
        when {{ regex_full_match(text_expression, iso_timestamp_pattern()) }}
            then {{ in_valid_date_range(iso_text_to_date(text_expression), "date") }}
    end
{%- endmacro %}

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
