{#- 1 where export.py's formula guard will put a ' in front of the value (it starts with = + - @, a tab or a CR:
    FORMULA_PATTERN there) and is not a plain number such as -3 (PLAIN_NUMBER_PATTERN there), else 0. -#}
{% macro formula_guard_width(expression) -%}
    case
        when {{ regex_contains(expression, '^[=+@\t\r-]') }}
            and not {{ regex_full_match(expression, '-?[0-9]+([.][0-9]+)?') }} then 1
        else 0
    end
{%- endmacro %}
