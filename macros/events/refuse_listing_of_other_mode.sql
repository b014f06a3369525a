{#- on-run-start: stg_app__event_files, the listing of the events' files, is a view whose SQL depends on the mode.
    In folder mode it reads the listing this hook makes (source raw_app_events__file_listing); in seed mode it
    hashes the seed's rows. After a build in one mode, a command in the other that reads the listing without
    making it again (`dbt run -s stg_app__events` alone) would read it as the other mode made it: on DuckDB a
    seed-mode listing fails on the folder's view of the events ("Referenced table seed_rows not found"), and a
    folder-mode listing names the last folder's files, not the seed. Making the listing alone is not enough either:
    stg_app__events holds the rows parsed under the other mode's listing, keyed by hashes the new listing does not
    have, and the models after it would find no events (`dbt build -s stg_app__event_files int_event_files+` built
    an empty usage mart, every test passing). So such a command stops here, before anything is built, saying what
    to run, unless it builds both. So does a command that reads the listing in a database that has none yet. A
    command whose selection reads nothing built from the listing (the accounts' staging alone) goes on; one that
    reaches the events' models, even through the accounts (`stg_crm__accounts+`), stops. Commands without hooks
    (`dbt compile`, `dbt show`) are not checked. DuckDB only: the mode is read from the view's SQL in DuckDB's
    catalog. -#}
{% macro refuse_listing_of_other_mode() -%}
    {%- set listing_id = 'model.' ~ project_name ~ '.stg_app__event_files' -%}
    {%- set events_id = 'model.' ~ project_name ~ '.stg_app__events' -%}
    {%- if not execute or target.type != 'duckdb' or listing_id not in graph.nodes
        or (listing_id in selected_resources and events_id in selected_resources) -%}
        {{- return(none) -}}
    {%- endif -%}
    {%- set listing = graph.nodes[listing_id] -%}
    {%- set found = run_query("select sql from duckdb_views() where database_name = current_database() and "
        ~ "schema_name = " ~ sql_literal(listing.schema) ~ " and view_name = " ~ sql_literal(listing.alias)) -%}
    {%- set seed_mode = raw_dir() | length == 0 -%}
    {%- if found.rows | length == 0 -%}
        {#- A new database: a command that makes the listing makes it before its readers. -#}
        {%- if listing_id in selected_resources -%}{{- return(none) -}}{%- endif -%}
        {%- set problem, what, advice = 'is not in this database yet', 'it', '' -%}
    {%- else -%}
        {%- set built_in_folder_mode = 'raw_app_events__file_listing' in found.rows[0][0] -%}
        {%- if built_in_folder_mode != seed_mode -%}{{- return(none) -}}{%- endif -%}
        {%- set problem = 'was last built in ' ~ ('folder mode' if built_in_folder_mode else 'seed mode')
            ~ ', and this command runs in ' ~ ('seed mode (TOTANGO_RAW_DIR unset)' if seed_mode
            else 'folder mode (TOTANGO_RAW_DIR set)') ~ ' without building both it and stg_app__events (which holds '
            ~ 'the events parsed under its listing)' -%}
        {%- set what = 'what the other mode left' -%}
        {%- set advice = ' (or select both stg_app__event_files and stg_app__events' ~ (', after `dbt seed`'
            if seed_mode else '') ~ ')' -%}
    {%- endif -%}
    {%- set readers = selected_readers_of(listing_id) -%}
    {%- if not readers -%}{{- return(none) -}}{%- endif -%}
    {%- do exceptions.raise_compiler_error('stg_app__event_files, the listing of the events\' files, ' ~ problem
        ~ ': ' ~ readers[0].split('.')[-1] ~ (' and ' ~ (readers | length - 1) ~ ' more' if readers | length > 1
        else '') ~ ' would read ' ~ what ~ '. Run `dbt build` in this mode' ~ advice ~ '.') -%}
{%- endmacro %}
