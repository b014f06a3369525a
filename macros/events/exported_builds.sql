{#- The builds an export has sent from: the dbt invocations whose events a run of the ledger recorded (export.py
    records the build it exported, ledger.export_runs.build_invocation_id). Such an export sent every event that
    build held to send (those not sent before): so after it, the next build knows them sent without asking the
    ledger about each. -#}
{% macro exported_builds() -%}
    {%- if not execute or target.type == 'spark' -%}{{- return([]) -}}{%- endif -%}
    {%- set found = run_query("select count(*) from duckdb_columns() where schema_name = 'ledger' and "
        ~ "table_name = 'export_runs' and column_name = 'build_invocation_id'") -%}
    {%- if found.columns[0].values()[0] == 0 -%}{{- return([]) -}}{%- endif -%}
    {%- set builds = run_query("select distinct build_invocation_id from ledger.export_runs where status in "
        ~ "('recorded', 'published') and build_invocation_id is not null") -%}
    {{- return(builds.columns[0].values() | list) -}}
{%- endmacro %}
