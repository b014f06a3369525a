{#- A cleaned text amount of money as decimal(18, 2), or null unless it is a number of at least 0 with a dot
    for decimals and nothing else (no sign, currency sign, thousands separator, exponent or underscore).
    More than two decimals are rounded to cents (is_rounded_amount says where, for the record). -#}
{% macro to_amount(text_expression) -%}
    case
        when {{ regex_full_match(text_expression, '[0-9]{1,15}([.][0-9]+)?') }}
            then cast(round(cast({{ text_expression }} as decimal(38, 10)), 2) as decimal(18, 2))
    end
{%- endmacro %}
