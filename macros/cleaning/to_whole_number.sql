{#- A cleaned text count (e.g. seats) as a bigint, or null unless it is written as a whole number from 0 to
    max_value: digits only (5, or 5.0 as spreadsheets write it). 5.7, -3, 1_000, 1e3 and 0x10 are not counts,
    though a plain cast would read them (as 6, -3, 1000, 1000 and 16). -#}
{% macro to_whole_number(text_expression, max_value=1000000000) -%}
    case
        when {{ regex_full_match(text_expression, '[0-9]{1,10}([.]0+)?') }}
            and cast(split_part({{ text_expression }}, '.', 1) as bigint) <= {{ max_value }}
            then cast(split_part({{ text_expression }}, '.', 1) as bigint)
    end
{%- endmacro %}
