{#- The builds of int_events_checked whose rows int_issues__app_events_by_row (relation) has not read yet under
    today's rules: each value of checked_in_build in int_events_checked with no row of its own in relation (the row
    with no issue that the model writes for each build it reads) stamped with today's rules version. Usually this
    build alone; also a build whose later nodes did not run (a failed test, a `dbt run -s int_events_checked`),
    which the next build then reads; and every build when the model last ran under other vars (its rows go: macro
    forget_event_issues). Asked of the database
    when the model runs, as constants: DuckDB finds the rows of a build by its zone maps (they were written
    together, at the end of the table), where a join would read every stored row. -#}
{% macro pending_issue_builds(relation) -%}
    {%- if not execute -%}{{- return([]) -}}{%- endif -%}
    {%- set found = run_query("select distinct checked_in_build from " ~ ref('int_events_checked')
        ~ " where checked_in_build not in (select checked_in_build from " ~ relation ~ " where issue is null"
        ~ " and rules_version = " ~ sql_literal(event_rules_version('checked')) ~ ")") -%}
    {{- return(found.columns[0].values() | list) -}}
{%- endmacro %}
