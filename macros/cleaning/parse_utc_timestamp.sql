{% macro parse_utc_timestamp(text_expression) -%}
    case
        when {{ regex_full_match(text_expression, iso_timestamp_pattern()) }}
            then {{ iso_text_to_utc_timestamp(text_expression) }}
    end
{%- endmacro %}
