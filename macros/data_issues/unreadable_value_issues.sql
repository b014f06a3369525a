{#- Data-issue rows (source, source_row_number, source_key, issue, detail, outcome) for the values of one raw
    export that could not be read, from a spec of its columns, in the column-spec style of Fivetran's packages:
    each item {raw: <cleaned text column>, typed: <typed column>, name: <raw header>, expected: <what a value
    must be>, consequence: <what happened instead>}. A value is unreadable where the text is there and the
    typed value is not; the row goes on (kept) without it. Raw values are quoted, cut at 100 characters. -#}
{% macro unreadable_value_issues(source_name, rows, key_column, columns) -%}
    {%- if not columns %}{{ no_issues() }}{% endif %}
    {%- for column in columns %}
    select
        {% call data_issue_row(source_name, key_column, issue='invalid_value') -%}
        {#- The name (a raw header) and the consequence (naming an attribute) may come from vars: literals. -#}
        {{ sql_literal(column.name ~ " '") }} || left({{ column.raw }}, 100)
        || {{ sql_literal("' is not " ~ column.expected ~ '; ' ~ column.consequence ~ '.') }}
        {%- endcall %}
    from {{ rows }}
    where {{ column.raw }} is not null and {{ column.typed }} is null
    {{ "union all" if not loop.last }}
    {%- endfor %}
{%- endmacro %}
