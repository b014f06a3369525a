{#- A text value cut to one of Totango's limits (var totango_limits, in characters), and the test of whether it
    was cut, for the data-issues record (macro too_long_issues). A value that starts like a spreadsheet formula
    gets a ' in front in the file (export.py, the formula guard), so it must fit in one character less. -#}
{% macro within_limit(expression, limit_name) -%}
    left({{ expression }}, {{ var('totango_limits')[limit_name] }} - {{ formula_guard_width(expression) }})
{%- endmacro %}

{% macro is_over_limit(expression, limit_name) -%}
    coalesce(length({{ expression }}) + {{ formula_guard_width(expression) }} > {{ var('totango_limits')[limit_name] }}, false)
{%- endmacro %}

{#- 1 where export.py's formula guard will put a ' in front of the value (it starts with = + - @, a tab or a CR)
    and is not a plain number such as -3, else 0: the guard's patterns, macro formula_guard_pattern. -#}
{% macro formula_guard_width(expression) -%}
    case
        when {{ regex_contains(expression, formula_guard_pattern('starts_like_a_formula')) }}
            and not {{ regex_full_match(expression, formula_guard_pattern('plain_number')) }} then 1
        else 0
    end
{%- endmacro %}

{#- Kept data issues for the values of rows that are sent cut to a limit: columns, items {column, limit, header}. -#}
{% macro too_long_issues(source_name, rows, key_column, columns) -%}
    {%- if not columns %}{{ no_issues() }}{% endif %}
    {%- for column in columns %}
    select
        {% call data_issue_row(source_name, key_column, issue='too_long') -%}
        {#- The header is a Totango attribute name from a var: it reaches SQL as a literal. -#}
        {{ sql_literal(column.header ~ ' is ') }} || length({{ column.column }})
        || {{ sql_literal(' characters long') }}
        || case when {{ formula_guard_width(column.column) }} = 1 then {{ sql_literal(" (one more with the ' that guards "
            ~ 'it against spreadsheet formulas)') }} else '' end
        || {{ sql_literal(', more than the ' ~ var('totango_limits')[column.limit]
            ~ ' Totango takes; it is sent cut to fit.') }}
        {%- endcall %}
    from {{ rows }}
    where {{ is_over_limit(column.column, column.limit) }}
    {{ "union all" if not loop.last }}
    {%- endfor %}
{%- endmacro %}
