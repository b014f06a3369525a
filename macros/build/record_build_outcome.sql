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
