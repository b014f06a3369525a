{#- A cleaned text date (YYYY-MM-DD, or an ISO timestamp, of which the date is taken as written) as a date, or
    null when it cannot be read (e.g. Excel's 31/12/2020, the word epoch, or a time of 25:00) or falls outside the
    accepted range. -#}
{% macro to_date(text_expression) -%}
    case
        when {{ regex_full_match(text_expression, iso_timestamp_pattern()) }}
            then {{ in_valid_date_range(iso_text_to_date(text_expression), "date") }}
    end
{%- endmacro %}
