{% macro is_rounded_amount(text_expression) -%}
    coalesce(not {{ regex_full_match(text_expression, '[0-9]+([.][0-9]{0,2}0*)?') }}, false)
{%- endmacro %}
