{#- No two rows share the values of all the columns listed (nulls included). dbt-utils' arguments, written here
    since no package can be installed; quote_columns quotes each name for the engine (names with spaces), which a
    unique test on an expression of them cannot, dbt leaving a test's column_name unrendered. Fails with one row
    per combination found more than once. -#}
{% test unique_combination_of_columns(model, combination_of_columns, quote_columns=false) %}

{%- set columns = [] %}
{%- for column in combination_of_columns %}
    {%- do columns.append(quote_identifier(column) if quote_columns else column) %}
{%- endfor %}

select
    {{ columns | join(', ') }},
    count(*) as n_records
from {{ model }}
group by {{ columns | join(', ') }}
having count(*) > 1

{% endtest %}
