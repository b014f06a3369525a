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
