{#- The accepted_values test with each value quoted by sql_literal: a value from a var may hold a quote (a status
    "won't renew", var subscription_statuses), which dbt's own version pastes between quotes as it is, breaking
    the test's SQL. As default__, it takes the place of dbt's (dbt looks in the root project first). Fails with
    one row per value outside the list, and how many rows hold it; a blank is not checked (not_null's job). -#}
{% macro default__test_accepted_values(model, column_name, values, quote=True) %}
    {%- set accepted = [] -%}
    {%- for value in values -%}
        {%- do accepted.append(sql_literal(value) if quote else value) -%}
    {%- endfor %}
select
    {{ column_name }} as value_field,
    count(*) as n_records
from {{ model }}
where {{ column_name }} not in ({{ accepted | join(', ') }})
group by {{ column_name }}
{% endmacro %}
