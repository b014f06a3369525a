{#- Every row satisfies a SQL condition, with dbt-utils' arguments: on a model, `expression` is the whole
    condition; declared on a column, it follows the column name (column_name: seats, expression: ">= 0").
    Unlike dbt-utils, a null result fails too: a rule that cannot be evaluated is not a rule that holds. -#}
{% test expression_is_true(model, expression, column_name=none) %}

select *
from {{ model }}
where not coalesce(({{ column_name ~ ' ' if column_name else '' }}{{ expression }}), false)

{% endtest %}
