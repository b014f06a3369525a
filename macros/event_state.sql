{#- The state the event models keep from one build to the next (stg_app__events, int_events_checked: incremental
    on DuckDB), and what invalidates it.

    Each stored row carries the version of the rules that made it. A build whose rules differ (an upgrade of the
    project, or a var that changes how an event is read or checked: raw_column_names, the date range, Totango's
    limits) does not trust what was stored under other rules: it parses and checks everything again, as
    --full-refresh does. Bump rules_revision when a change to the SQL of these models changes what they store. -#}
{% macro event_rules_version(stage) -%}
    {%- set rules_revision = 1 -%}
    {#- (A var of the wrong shape is refused, with the reason, by validate_project_vars: not stopped here.) -#}
    {%- set raw_names = var('raw_column_names', {}) -%}
    {%- set inputs = {
        'stage': stage,
        'revision': rules_revision,
        'columns': (raw_names if raw_names is mapping else {}).get(content_keyed_export(), {}),
        'dates': [var('earliest_valid_date'), var('latest_valid_date')],
        'limits': var('totango_limits') if stage == 'checked' else none,
    } -%}
    {{- return(local_md5(tojson(inputs, sort_keys=true))[:16]) -}}
{%- endmacro %}

{#- Whether a model may build on what it stored in an earlier build: it is incremental, and it is not a unit test
    (whose given rows stand for the whole export). -#}
{% macro keeps_event_state() -%}
    {{- return(model.resource_type != 'unit_test' and is_incremental()) -}}
{%- endmacro %}

{#- Distinct values of one column of a relation, as a list (a small one: file hashes); none where the relation is
    not there (`dbt compile` runs no on-run-start hook, which writes the listing of files). -#}
{% macro distinct_values(relation, column, where='true') -%}
    {%- if not execute or not table_exists(relation) -%}{{- return([]) -}}{%- endif -%}
    {%- set found = run_query('select distinct ' ~ column ~ ' from ' ~ relation ~ ' where ' ~ where) -%}
    {{- return(found.columns[0].values() | list) -}}
{%- endmacro %}

{#- An SQL list of text values, for `in (...)`; never empty (an empty list is not SQL): a null then stands for
    none, which `in` never matches. -#}
{% macro in_list(values) -%}
    {%- set literals = [] -%}
    {%- for value in values -%}{%- do literals.append(sql_literal(value)) -%}{%- endfor -%}
    ({{ literals | join(', ') if literals else 'cast(null as ' ~ dbt.type_string() ~ ')' }})
{%- endmacro %}

{#- What int_events_checked does in this build. 'full': check every current row (the first build,
    --full-refresh, a build on other rules, or files renamed, which may reorder rows: the order decides which row
    of a repeated event counts). Otherwise only the open events: those with rows in files (file_hash, file_copy)
    new since the last build or gone since, and those not sent at the last build (whose user may have arrived,
    or which the export has sent since). new_pairs and gone_pairs: [{file_hash, file_copy}]. -#}
{% macro event_check_plan(rules_version) -%}
    {%- set plan = {'full': true, 'new_pairs': [], 'gone_pairs': []} -%}
    {%- if not execute or not keeps_event_state() -%}{{- return(plan) -}}{%- endif -%}
    {%- set stored = run_query('select distinct file_hash, file_copy, file_name, rules_version from ' ~ this) -%}
    {%- set current = run_query('select file_hash, file_copy, file_name from ' ~ ref('int_event_files')) -%}
    {%- set current_names = {} -%}
    {%- for row in current -%}{%- do current_names.update({row[0] ~ ':' ~ row[1]: row[2]}) -%}{%- endfor -%}
    {%- set stored_keys = [] -%}
    {%- set gone = [] -%}
    {%- for row in stored -%}
        {%- set key = row[0] ~ ':' ~ row[1] -%}
        {%- if row[3] != rules_version or (key in current_names and current_names[key] != row[2]) -%}
            {{- return(plan) -}}
        {%- endif -%}
        {%- do stored_keys.append(key) -%}
        {%- if key not in current_names -%}{%- do gone.append({'file_hash': row[0], 'file_copy': row[1]}) -%}{%- endif -%}
    {%- endfor -%}
    {%- set new = [] -%}
    {%- for row in current if (row[0] ~ ':' ~ row[1]) not in stored_keys -%}
        {%- do new.append({'file_hash': row[0], 'file_copy': row[1]}) -%}
    {%- endfor -%}
    {%- do plan.update({'full': false, 'new_pairs': new, 'gone_pairs': gone}) -%}
    {{- return(plan) -}}
{%- endmacro %}

{#- After each event model: the rows of files that are gone leave, and so do rows stored under other rules (a full
    check or parse rewrote everything under today's). stage: 'parsed' (stg_app__events, by file) or 'checked'
    (int_events_checked, by file copy). On Spark stg_app__events drops the partitions of gone files, and
    int_events_checked is a table, rebuilt whole. -#}
{% macro forget_event_files(relation, stage) -%}
    {%- if target.type == 'spark' -%}
        {{- return(spark_drop_gone_partitions(relation) if stage == 'parsed' else 'select 1') -}}
    {%- endif -%}
    {%- if stage == 'parsed' -%}
        delete from {{ relation }}
        where file_hash not in (select file_hash from {{ ref('stg_app__event_files') }})
            or rules_version != {{ sql_literal(event_rules_version('parsed')) }}
    {%- else -%}
        delete from {{ relation }}
        where rules_version != {{ sql_literal(event_rules_version('checked')) }}
            or not exists (
                select 1 from {{ ref('int_event_files') }} as files
                where files.file_hash = {{ relation }}.file_hash and files.file_copy = {{ relation }}.file_copy
            )
    {%- endif -%}
{%- endmacro %}

{#- Whether a table is in the database now. Asked of the database, not of dbt's cache of relations, which does not
    know what an on-run-start hook made in this run. -#}
{% macro table_exists(relation) -%}
    {{- return(adapter.dispatch('table_exists', 'totango_feed')(relation)) -}}
{%- endmacro %}

{% macro default__table_exists(relation) -%}
    {%- set found = run_query("select count(*) from information_schema.tables where table_schema = "
        ~ sql_literal(relation.schema) ~ " and table_name = " ~ sql_literal(relation.identifier)) -%}
    {{- return(found.columns[0].values()[0] > 0) -}}
{%- endmacro %}

{% macro spark__table_exists(relation) -%}
    {%- set found = run_query("show tables in " ~ relation.schema ~ " like " ~ sql_literal(relation.identifier)) -%}
    {{- return(found.rows | length > 0) -}}
{%- endmacro %}

{#- Spark (post-hook of stg_app__events, whose rows are stored in one partition per file hash): the partitions of
    files that are gone are dropped. Returns a statement for the hook to run (the work is done here). -#}
{% macro spark_drop_gone_partitions(relation) -%}
    {%- if execute and table_exists(relation) -%}
        {%- set current = distinct_values(ref('stg_app__event_files'), 'file_hash') -%}
        {%- for row in run_query('show partitions ' ~ relation) -%}
            {%- set file_hash = row[0].split('=', 1)[1] -%}
            {%- if file_hash not in current -%}
                {%- do run_query('alter table ' ~ relation ~ ' drop if exists partition (file_hash = '
                    ~ sql_literal(file_hash) ~ ')') -%}
            {%- endif -%}
        {%- endfor -%}
    {%- endif -%}
    {{- return('select 1') -}}
{%- endmacro %}

{#- on-run-start: the event tables a release before the incremental models left (stg_app__events as a view,
    int_events_checked as a table of another shape) are dropped, so that this build makes them anew, as a
    --full-refresh would: an incremental model cannot build on a table of another shape. Known by the column every
    stored row of this release carries (rules_version). -#}
{% macro retire_older_event_tables() -%}
    {%- if execute -%}
        {{- return(adapter.dispatch('retire_older_event_tables', 'totango_feed')()) -}}
    {%- endif -%}
{%- endmacro %}

{#- DuckDB: the catalog is read with run_query, not adapter.get_relation, which would leave a transaction open
    around the rest of the hook (its views and listing would then be rolled back when the build ends). -#}
{% macro default__retire_older_event_tables() -%}
    {%- set found = run_query("select schema_name, table_name, 'table' from duckdb_tables() where database_name = current_database() and "
        ~ "(schema_name, table_name) in (('staging', 'stg_app__events'), ('intermediate', 'int_events_checked')) "
        ~ "and not exists (select 1 from duckdb_columns() as c where c.schema_name = duckdb_tables.schema_name "
        ~ "and c.table_name = duckdb_tables.table_name and lower(c.column_name) = 'rules_version') "
        ~ "union all select schema_name, view_name, 'view' from duckdb_views() where database_name = current_database() and "
        ~ "(schema_name, view_name) in (('staging', 'stg_app__events'), ('intermediate', 'int_events_checked'))") -%}
    {%- for row in found.rows -%}
        {%- do log('Dropping ' ~ row[0] ~ '.' ~ row[1] ~ ', left by an older release: this build makes it anew.',
            info=true) -%}
        {#- Through the adapter, which forgets it in the relations it read when the build started; the drop opens a
            transaction, which the rest of the hook must not run in. -#}
        {%- do adapter.drop_relation(api.Relation.create(database=target.database, schema=row[0], identifier=row[1],
            type=row[2])) -%}
        {%- do adapter.commit() -%}
    {%- endfor -%}
{%- endmacro %}

{#- Spark (no transactions): the relations as the adapter sees them. -#}
{% macro spark__retire_older_event_tables() -%}
    {%- for schema, identifier in [('staging', 'stg_app__events'), ('intermediate', 'int_events_checked')] -%}
        {%- set relation = adapter.get_relation(database=none, schema=schema, identifier=identifier) -%}
        {%- if relation is not none -%}
            {%- set columns = adapter.get_columns_in_relation(relation) | map(attribute='name') | map('lower')
                | list -%}
            {%- if relation.is_view or 'rules_version' not in columns -%}
                {%- do log('Dropping ' ~ relation ~ ', left by an older release: this build makes it anew.',
                    info=true) -%}
                {%- do adapter.drop_relation(relation) -%}
            {%- endif -%}
        {%- endif -%}
    {%- endfor -%}
{%- endmacro %}

{#- Post-hook of stg_app__events, folder mode: each file parsed by this build is hashed again. The build hashed it
    when it started and read it later; a file written in between (a copy still running, a day file replaced) would
    be stored under a hash its rows do not have, and never read again. Such a file's rows are forgotten and the
    build stops, naming it: the next build reads it whole. -#}
{% macro verify_parsed_files(relation) -%}
    {%- if execute and raw_dir() and model.resource_type != 'unit_test' -%}
        {%- set parsed = distinct_values(relation, 'file_hash', 'parsed_in_build = ' ~ sql_literal(invocation_id)) -%}
        {%- set hashed_at_start = {} -%}
        {%- for file in new_event_files(parsed) -%}{%- do hashed_at_start.update({file.path: file.hash}) -%}{%- endfor -%}
        {%- for file in with_content_hashes(new_event_files(parsed))
            if file.hash != hashed_at_start[file.path] -%}
            {%- do run_query('delete from ' ~ relation ~ ' where file_hash = '
                ~ sql_literal(hashed_at_start[file.path])) -%}
            {%- do exceptions.raise_compiler_error(file.path ~ ' changed while the build read it (it was being '
                ~ 'written?); nothing of it is kept: run the build again once the file is complete.') -%}
        {%- endfor -%}
    {%- endif -%}
    {{- return('select 1') -}}
{%- endmacro %}
