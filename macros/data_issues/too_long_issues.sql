{#- Kept data issues for the values of rows that are sent cut to a limit: columns, items {column, limit, header}. -#}
{% macro too_long_issues(source_name, rows, key_column, columns, carry=[]) -%}
    {%- if not columns and carry -%}
        {#- no_issues has the record's columns only: it cannot type columns it does not know. -#}
        {{ exceptions.raise_compiler_error('too_long_issues: carry needs at least one column to check') }}
    {%- endif %}
    {%- if not columns %}{{ no_issues() }}{% endif %}
    {%- for column in columns %}
    select
        {% call data_issue_row(source_name, key_column, issue='too_long', carry=carry) -%}
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
