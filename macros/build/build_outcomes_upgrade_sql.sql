{#- The statements that bring a build record of an older version up to date (columns added since), as a list:
    run after build_outcomes_table_sql, so the table is there. -#}
{% macro build_outcomes_upgrade_sql() -%}
    {{- return(adapter.dispatch('build_outcomes_upgrade_sql', 'totango_feed')()) -}}
{%- endmacro %}

{% macro default__build_outcomes_upgrade_sql() -%}
    {{- return(['alter table audit.build_outcomes add column if not exists raw_dir varchar']) -}}
{%- endmacro %}

{#- Spark has no "add column if not exists": the columns are looked up (the table may not exist yet, when
    run_statements has not run the statements before this one: then it is made with the column). -#}
{% macro spark__build_outcomes_upgrade_sql() -%}
    {%- set existing = adapter.get_relation(database=none, schema='audit', identifier='build_outcomes') -%}
    {%- if existing is none -%}
        {{- return([]) -}}
    {%- endif -%}
    {%- set columns = run_query('describe audit.build_outcomes').columns[0].values() -%}
    {{- return([] if 'raw_dir' in columns else ['alter table audit.build_outcomes add columns (raw_dir string)']) -}}
{%- endmacro %}
