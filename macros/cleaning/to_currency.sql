{#- A cleaned text currency as its ISO 4217 code in upper case, or null when it is not one of the codes in use
    (var currency_codes: =USD, $, US Dollar, or a made-up XYZ are not). A blank currency is left to the caller (USD
    by contract). -#}
{% macro to_currency(text_expression) -%}
    {#- A var that is not a list is refused before the build (macro setting_var_errors): rendering here must not
        fail first, with a less clear error. -#}
    {%- set given = var('currency_codes') -%}
    {%- set codes = (given if given is iterable and given is not string else []) | map('string') | map('trim')
        | map('upper') | list -%}
    case when upper({{ text_expression }}) in (
        {%- for code in codes %}{{ sql_literal(code) }}{{ ", " if not loop.last }}{% endfor -%}
    ) then upper({{ text_expression }}) end
{%- endmacro %}
