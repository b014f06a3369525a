{#- A text value cut to one of Totango's limits (var totango_limits, in characters), and the test of whether it
    was cut, for the data-issues record (macro too_long_issues). A value that starts like a spreadsheet formula
    gets a ' in front in the file (export.py, the formula guard), so it must fit in one character less. -#}
{% macro within_limit(expression, limit_name) -%}
    left({{ expression }}, {{ var('totango_limits')[limit_name] }} - {{ formula_guard_width(expression) }})
{%- endmacro %}
