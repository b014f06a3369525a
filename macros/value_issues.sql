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

{#- One kept data issue per raw row whose values held control characters (removed in staging, clean_text). -#}
{% macro control_character_issues(source_name, rows, key_column) -%}
    select
        {% call data_issue_row(source_name, key_column, issue='control_characters') -%}
        'Control characters (such as NUL) were removed from ' || control_character_columns || '.'
        {%- endcall %}
    from {{ rows }}
    where control_character_columns is not null
{%- endmacro %}

{#- The rows a *_checked model left out, one dropped data issue each, worded by the model (rejection_detail). -#}
{% macro rejection_issues(source_name, rows, key_column) -%}
    select
        {% call data_issue_row(source_name, key_column, issue_column='rejection_code', outcome='dropped') -%}
        rejection_detail
        {%- endcall %}
    from {{ rows }}
    where rejection_code is not null
{%- endmacro %}

{#- No data-issue rows, in the shape of the others: what an issue macro gives for an empty list of checks. Its
    columns, typed (a select of nulls has no types to union by), follow data_issue_row's; keep them in step. -#}
{% macro no_issues() -%}
    select
        cast(null as {{ dbt.type_string() }}) as source,
        cast(null as bigint) as source_row_number,
        cast(null as {{ dbt.type_string() }}) as source_key,
        cast(null as {{ dbt.type_string() }}) as issue,
        cast(null as {{ dbt.type_string() }}) as detail,
        cast(null as {{ dbt.type_string() }}) as outcome
    where 1 = 0
{%- endmacro %}
