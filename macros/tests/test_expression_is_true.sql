{#- Every row satisfies a SQL condition (expression). Fails with the rows that do not; a null result fails too,
    since a rule that cannot be evaluated is not a rule that holds. Declared on a column, the column is only
    where the test is listed: the expression names what it checks. -#}
{% test expression_is_true(model, expression, column_name=none) %}

select *
from {{ model }}
where not coalesce(({{ expression }}), false)

{% endtest %}
