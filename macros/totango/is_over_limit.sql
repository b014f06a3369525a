{% macro is_over_limit(expression, limit_name) -%}
    coalesce(length({{ expression }}) + {{ formula_guard_width(expression) }} > {{ var('totango_limits')[limit_name] }}, false)
{%- endmacro %}
