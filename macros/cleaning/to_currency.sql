{#- A cleaned text currency as its ISO 4217 code in upper case, or null when it is not one of the codes in use
    (var currency_codes: =USD, $, US Dollar, or a made-up XYZ are not). A blank currency is left to the caller (USD
    by contract). -#}
{% macro to_currency(text_expression) -%}
    {%- set codes = var('currency_codes') | map('trim') | map('upper') | list -%}
    {%- if not codes -%}
        {{ exceptions.raise_compiler_error("var currency_codes is empty: list the ISO 4217 codes in use") }}
    {%- endif -%}
    case when upper({{ text_expression }}) in (
        {%- for code in codes %}{{ sql_literal(code) }}{{ ", " if not loop.last }}{% endfor -%}
    ) then upper({{ text_expression }}) end
{%- endmacro %}
