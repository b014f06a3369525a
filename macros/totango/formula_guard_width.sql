{#- 1 where export.py's formula guard will put a ' in front of the value (it starts with = + - @, a tab or a CR)
    and is not a plain number such as -3, else 0: the guard's patterns, macro formula_guard_pattern. -#}
{% macro formula_guard_width(expression) -%}
    case
        when {{ regex_contains(expression, formula_guard_pattern('starts_like_a_formula')) }}
            and not {{ regex_full_match(expression, formula_guard_pattern('plain_number')) }} then 1
        else 0
    end
{%- endmacro %}
