{% macro build_outcomes_table_sql() -%}
    {{- return(adapter.dispatch('build_outcomes_table_sql', 'totango_feed')()) -}}
{%- endmacro %}

{% macro default__build_outcomes_table_sql() -%}
    create table if not exists audit.build_outcomes (
        build_number bigint not null,
        invocation_id varchar not null,
        command varchar not null,
        started_at timestamp not null,
        finished_at timestamp,
        outcome varchar not null,
        failed_nodes varchar,
        raw_dir varchar
    )
{%- endmacro %}

{#- Parquet, as every Spark table here; Spark keeps no not-null constraint on it. -#}
{% macro spark__build_outcomes_table_sql() -%}
    create table if not exists audit.build_outcomes (
        build_number bigint,
        invocation_id string,
        command string,
        started_at timestamp_ntz,
        finished_at timestamp_ntz,
        outcome string,
        failed_nodes string,
        raw_dir string
    ) using parquet
{%- endmacro %}
