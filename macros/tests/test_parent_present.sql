{#- Every row that must have a parent has one, and every parent it names exists.
    column_name: the parent id column. to / field: the model and column that hold the ids parents must name.
    required_where: a condition on the rows that must have a parent (e.g. product accounts); rows outside it
    may leave the parent blank, but a parent they do name must still exist.
    parent_where: a condition on `to` limiting which of its rows count as parents (e.g. only product accounts).
    Fails with one row per child whose parent is missing or unknown. -#}
{% test parent_present(model, column_name, to, field, required_where='true', parent_where='true') %}

with

children as (
    select
        {{ column_name }} as parent_id,
        ({{ required_where }}) as is_parent_required
    from {{ model }}
),

parents as (
    select {{ field }} as parent_id
    from {{ to }}
    where {{ parent_where }}
)

select children.*
from children
left join parents
    on children.parent_id = parents.parent_id
where
    (children.parent_id is null and children.is_parent_required)
    or (children.parent_id is not null and parents.parent_id is null)

{% endtest %}
