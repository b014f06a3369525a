{#- Every value of column_name (a column or an expression) on the rows of the model that meet from_condition
    names a row of `to` that meets to_condition (field: the column or expression it must equal there). Nulls pass,
    as in dbt's relationships: pair it with not_null (and a where) where a value is required. The arguments and
    their meaning are dbt-utils' relationships_where, written here since no package can be installed. Fails with
    one row per value that names nothing. column_name is the one argument dbt does not render (no
    adapter.quote in it): an expression there names columns in standard SQL's double quotes, which
    engine_identifiers turns into the engine's quoting. -#}
{% test relationships_where(model, column_name, to, field, from_condition='1 = 1', to_condition='1 = 1') %}

{%- set reference = engine_identifiers(column_name) %}

with

referring as (
    select {{ reference }} as reference
    from {{ model }}
    where ({{ from_condition }}) and {{ reference }} is not null
),

referred as (
    select {{ field }} as reference
    from {{ to }}
    where {{ to_condition }}
)

select referring.reference
from referring
left join referred
    on referring.reference = referred.reference
where referred.reference is null

{% endtest %}
