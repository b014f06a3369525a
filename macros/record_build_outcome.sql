{#- How each dbt invocation that changes tables left the marts, in the database itself (audit.build_outcomes),
    where no other dbt command overwrites it (target/run_results.json is rewritten by every command, even
    `dbt show`). export.py sends files only when the latest row says a `dbt build` finished, built every model and
    ran every test of what it built, without a failure.

    The table is only ever appended to (Spark's Parquet tables cannot be updated): record_build_start
    (on-run-start) adds a row `running` before anything is built, so that a build killed part-way is never
    mistaken for the last good one; record_build_outcome (on-run-end) adds the invocation's second row, which
    settles it:
      passed    a build with no error, failing test or skipped node, that built every model and ran every
                data test of every model it built;
      failed    a build with an error (a hook's too), a failing test or a skipped node;
      partial   a build that passed but did not build every model of the project (--select, --exclude): its
                marts may be built over yesterday's rows of a model it left out;
      untested  a build that left out tests of what it built (--exclude-resource-type test, --exclude ...), or a
                command that changes tables without testing them (run, seed, snapshot).
    Other commands (show, compile, test, docs, ...) change no table and leave no row. Rows are ordered by
    build_number, counted up by the database, not by a clock: the latest row is the state of the latest
    invocation. Each row also says what the invocation read, raw_dir: the raw folder (absolute, as macro raw_dir
    resolves it), '' for the seeds; export.py prints it with the build it exports, so that a person sees which
    build and which exports a drop comes from (null in rows of builds older than the column). -#}
{% macro is_table_changing_command() -%}
    {{- return(flags.WHICH in ['build', 'run', 'seed', 'snapshot']) -}}
{%- endmacro %}

{% macro record_build_start() -%}
    {%- if execute and is_table_changing_command() -%}
        {{- run_statements([
            'create schema if not exists audit',
            build_outcomes_table_sql(),
        ] + build_outcomes_upgrade_sql() + [
            build_outcome_row_sql('running', none),
        ]) -}}
    {%- endif -%}
{%- endmacro %}

{% macro record_build_outcome(results) -%}
    {%- if execute and is_table_changing_command() -%}
        {%- set failed = [] -%}
        {%- set built = [] -%}
        {%- set tested = [] -%}
        {%- for result in results -%}
            {%- if result.status | string | lower in ['error', 'fail', 'runtime error', 'skipped'] -%}
                {%- do failed.append(result.node.unique_id) -%}
            {%- elif result.node.resource_type == 'model' -%}
                {%- do built.append(result.node.unique_id) -%}
            {%- elif result.node.resource_type == 'test' -%}
                {%- do tested.append(result.node.unique_id) -%}
            {%- endif -%}
        {%- endfor -%}
        {#- Every data test that reads a model this invocation built must have run. -#}
        {%- set untested = [] -%}
        {%- for node in graph.nodes.values() -%}
            {%- if node.resource_type == 'test' and node.unique_id not in tested
                and node.unique_id not in failed and (node.depends_on.nodes | select('in', built) | list) -%}
                {%- do untested.append(node.unique_id) -%}
            {%- endif -%}
        {%- endfor -%}
        {#- Every model, not only the marts: a mart built over a model left out (--exclude stg_app__events) is built
            from yesterday's rows of it. -#}
        {%- set left_out = graph.nodes.values() | selectattr('resource_type', 'equalto', 'model')
            | map(attribute='unique_id') | reject('in', built) | list -%}
        {%- if failed -%}
            {%- set outcome = 'failed' -%}
        {%- elif flags.WHICH != 'build' or untested -%}
            {%- set outcome = 'untested' -%}
        {%- elif left_out -%}
            {%- set outcome = 'partial' -%}
        {%- else -%}
            {%- set outcome = 'passed' -%}
        {%- endif -%}
        {{- run_statements([build_outcome_row_sql(outcome, (failed or untested or left_out) | join(', ') or none)]) -}}
    {%- endif -%}
{%- endmacro %}

{#- The row of this invocation: build_number one more than the last; started_at that of its `running` row. -#}
{% macro build_outcome_row_sql(outcome, failed_nodes) -%}
    {%- set this_invocation = 'invocation_id = ' ~ sql_literal(invocation_id) -%}
    insert into audit.build_outcomes
    select
        coalesce(max(build_number), 0) + 1,
        {{ sql_literal(invocation_id) }},
        {{ sql_literal(flags.WHICH) }},
        coalesce(min(started_at) filter (where {{ this_invocation }}), {{ utc_now() }}),
        {{ 'null' if outcome == 'running' else utc_now() }},
        {{ sql_literal(outcome) }},
        {{ 'null' if failed_nodes is none else sql_literal(failed_nodes) }},
        {{ sql_literal(raw_dir()) }}
    from audit.build_outcomes
{%- endmacro %}

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
