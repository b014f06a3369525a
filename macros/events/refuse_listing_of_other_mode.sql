{#- on-run-start: stg_app__event_files, the listing of the events' files, is a view whose SQL depends on the mode.
    In folder mode it reads the listing this hook makes (source raw_app_events__file_listing); in seed mode it
    hashes the seed's rows. After a build in one mode, a command in the other that reads the listing without
    making it again (`dbt run -s stg_app__events` alone) would read it as the other mode made it: on DuckDB a
    seed-mode listing fails on the folder's view of the events ("Referenced table seed_rows not found"), and a
    folder-mode listing names the last folder's files, not the seed. Such a command stops here, before anything is
    built, saying what to run. A command that makes the listing again (it is selected: dbt makes it before its
    readers) or reads nothing of it (the accounts alone) goes on, and so does a whole build.
    DuckDB only: the mode is read from the view's SQL in DuckDB's catalog. -#}
{% macro refuse_listing_of_other_mode() -%}
    {%- set listing_id = 'model.' ~ project_name ~ '.stg_app__event_files' -%}
    {%- if not execute or target.type != 'duckdb' or listing_id not in graph.nodes
        or listing_id in selected_resources -%}
        {{- return(none) -}}
    {%- endif -%}
    {%- set listing = graph.nodes[listing_id] -%}
    {%- set found = run_query("select sql from duckdb_views() where database_name = current_database() and "
        ~ "schema_name = " ~ sql_literal(listing.schema) ~ " and view_name = " ~ sql_literal(listing.alias)) -%}
    {%- if found.rows | length == 0 -%}{{- return(none) -}}{%- endif -%}
    {%- set built_in_folder_mode = 'raw_app_events__file_listing' in found.rows[0][0] -%}
    {%- if built_in_folder_mode == (raw_dir() | length > 0) -%}{{- return(none) -}}{%- endif -%}
    {%- set readers = selected_readers_of(listing_id) -%}
    {%- if not readers -%}{{- return(none) -}}{%- endif -%}
    {%- set built_mode, this_mode = ('folder mode', 'seed mode (TOTANGO_RAW_DIR unset)') if built_in_folder_mode
        else ('seed mode', 'folder mode (TOTANGO_RAW_DIR set)') -%}
    {%- do exceptions.raise_compiler_error('stg_app__event_files, the listing of the events\' files, was last built '
        ~ 'in ' ~ built_mode ~ ', and this command runs in ' ~ this_mode ~ ' without building it again: '
        ~ readers[0].split('.')[-1] ~ (' and ' ~ (readers | length - 1) ~ ' more' if readers | length > 1 else '')
        ~ ' would read the other mode\'s raw exports. Run `dbt build` in this mode (or add stg_app__event_files '
        ~ 'to --select).') -%}
{%- endmacro %}

{#- The selected nodes (models, tests) that read unique_id, directly or through other models: the graph walked from
    it one level at a time, until a level adds nothing. -#}
{% macro selected_readers_of(unique_id) -%}
    {%- set reached = [unique_id] -%}
    {%- set walk = namespace(grew=true) -%}
    {%- for level in range(graph.nodes | length) if walk.grew -%}
        {%- set walk.grew = false -%}
        {%- for node in graph.nodes.values() if node.unique_id not in reached
            and node.depends_on.nodes | select('in', reached) | list | length > 0 -%}
            {%- do reached.append(node.unique_id) -%}
            {%- set walk.grew = true -%}
        {%- endfor -%}
    {%- endfor -%}
    {{- return(reached[1:] | select('in', selected_resources) | list) -}}
{%- endmacro %}
