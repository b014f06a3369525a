{#- on-run-end: how this dbt invocation left the marts, in the database itself (table audit.build_outcomes),
    where no other dbt command overwrites it (target/run_results.json is rewritten by every command, even
    `dbt show`). export.py sends files only when the latest row says a `dbt build` built and tested every mart
    without a failure:
      passed    a build with no error or failing test that built all four marts;
      failed    a build with an error, a failing test or a skipped node;
      partial   a build that passed but did not build every mart (e.g. --select);
      untested  a command that changes tables without testing them (run, seed, snapshot).
    Other commands (show, compile, test, docs, ...) change no table and leave no row. -#}
{% macro record_build_outcome(results) -%}
    {%- set command = flags.WHICH -%}
    {%- if execute and command in ['build', 'run', 'seed', 'snapshot'] -%}
        {%- set failed = [] -%}
        {%- set built = [] -%}
        {%- for result in results -%}
            {%- if result.status | string | lower in ['error', 'fail', 'runtime error', 'skipped'] -%}
                {%- do failed.append(result.node.unique_id) -%}
            {%- elif result.node.resource_type == 'model' -%}
                {%- do built.append(result.node.name) -%}
            {%- endif -%}
        {%- endfor -%}
        {%- set marts = ['totango_accounts', 'totango_users', 'totango_usage', 'data_issues'] -%}
        {%- if command != 'build' -%}
            {%- set outcome = 'untested' -%}
        {%- elif failed -%}
            {%- set outcome = 'failed' -%}
        {%- elif marts | reject('in', built) | list -%}
            {%- set outcome = 'partial' -%}
        {%- else -%}
            {%- set outcome = 'passed' -%}
        {%- endif -%}
        create schema if not exists audit;
        create table if not exists audit.build_outcomes (
            invocation_id varchar not null,
            command varchar not null,
            finished_at timestamp not null,
            outcome varchar not null,
            failed_nodes varchar
        );
        insert into audit.build_outcomes values (
            {{ sql_literal(invocation_id) }},
            {{ sql_literal(command) }},
            current_timestamp::timestamp,
            {{ sql_literal(outcome) }},
            {{ sql_literal(failed | join(', ')) if failed else 'null' }}
        );
    {%- endif -%}
{%- endmacro %}
