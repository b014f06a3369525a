{#- A text value cut to one of Totango's limits (var totango_limits, in characters), and the test of whether it
    was cut, for the data-issues record (macro too_long_issues). -#}
{% macro within_limit(expression, limit_name) -%}
    left({{ expression }}, {{ var('totango_limits')[limit_name] }})
{%- endmacro %}

{% macro is_over_limit(expression, limit_name) -%}
    coalesce(length({{ expression }}) > {{ var('totango_limits')[limit_name] }}, false)
{%- endmacro %}

{#- Kept data issues for the values of rows that are sent cut to a limit: columns, items {column, limit, header}. -#}
{% macro too_long_issues(source_name, rows, key_column, columns) -%}
    {%- if not columns %}{{ no_issues() }}{% endif %}
    {%- for column in columns %}
    select
        '{{ source_name }}' as source,
        source_row_number,
        {{ key_column }} as source_key,
        'too_long' as issue,
        {#- The header is a Totango attribute name from a var: it reaches SQL as a literal. -#}
        {{ sql_literal(column.header ~ ' is ') }} || length({{ column.column }})
        || {{ sql_literal(' characters long, more than the ' ~ var('totango_limits')[column.limit]
            ~ ' Totango takes; it is sent cut to that length.') }} as detail,
        'kept' as outcome
    from {{ rows }}
    where {{ is_over_limit(column.column, column.limit) }}
    {{ "union all" if not loop.last }}
    {%- endfor %}
{%- endmacro %}
