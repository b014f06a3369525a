{#- dbt's accepted_values, with each value through sql_literal: dbt's own pastes a value between quotes as it is,
    so a value from a var holding a quote (a status "won't renew", var subscription_statuses) broke the test's
    SQL. The project's default__ takes the place of dbt's (dbt looks in the root project first). -#}
{% macro default__test_accepted_values(model, column_name, values, quote=True) %}

with all_values as (

    select
        {{ column_name }} as value_field,
        count(*) as n_records

    from {{ model }}
    group by {{ column_name }}

)

select *
from all_values
where value_field not in (
    {%- for value in values %}
        {{ sql_literal(value) if quote else value }}{{ "," if not loop.last }}
    {%- endfor %}
)

{% endmacro %}
