{#- Distinct values of one column of a relation, as a list (a small one: file hashes); none where the relation is
    not there (`dbt compile` runs no on-run-start hook, which writes the listing of files). -#}
{% macro distinct_values(relation, column, where='true') -%}
    {%- if not execute or not table_exists(relation) -%}{{- return([]) -}}{%- endif -%}
    {%- set found = run_query('select distinct ' ~ column ~ ' from ' ~ relation ~ ' where ' ~ where) -%}
    {{- return(found.columns[0].values() | list) -}}
{%- endmacro %}
