{#- The builds of int_events_checked whose rows int_issues__app_events_by_row (relation) has not read yet: each
    value of checked_in_build in int_events_checked with no row of its own in relation (the row with no issue that
    the model writes for each build it reads). Usually this build alone; also a build whose later nodes did not run
    (a failed test, a `dbt run -s int_events_checked`), which the next build then reads. Asked of the database
    when the model runs, as constants: DuckDB finds the rows of a build by its zone maps (they were written
    together, at the end of the table), where a join would read every stored row. -#}
{% macro pending_issue_builds(relation) -%}
    {%- if not execute -%}{{- return([]) -}}{%- endif -%}
    {%- set found = run_query("select distinct checked_in_build from " ~ ref('int_events_checked')
        ~ " where checked_in_build not in (select checked_in_build from " ~ relation ~ " where issue is null)") -%}
    {{- return(found.columns[0].values() | list) -}}
{%- endmacro %}
