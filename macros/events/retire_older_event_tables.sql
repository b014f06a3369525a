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
