{#- The files of the events export, each known by its content: the SHA-256 of its bytes, never its name, date or
    modification time. A build parses a file only when it has not parsed that content before (stg_app__events),
    so a daily build costs the new day's file, not the history: a renamed file costs nothing, a file rewritten in
    place is new content, a removed file's rows leave.

    on-run-start (macro register_raw_exports) calls register_event_files, which writes the listing
    raw.raw_app_events__file_listing (source raw_files.raw_app_events__file_listing): one row per file in name order, with its
    hash and size, in folder mode (in seed mode the seed table is the one "file": stg_app__event_files).

    A file that grew (re-delivered whole each day: yesterday's bytes and new rows after them) keeps what was parsed
    and checked of it: its listing row names the content it grew from (grown_from_hash), and only its new rows are
    parsed and checked (macros/events/grown_event_files.sql). -#}

{#- The listing raw.raw_app_events__file_listing, rebuilt by every build that changes tables. -#}
{% macro register_event_files(files) -%}
    {%- set values = [] -%}
    {%- for file in files -%}
        {%- do values.append('(' ~ loop.index ~ ', ' ~ (sql_literal(file.name) if file.name is not none
            else 'cast(null as ' ~ dbt.type_string() ~ ')') ~ ', ' ~ sql_literal(file.path) ~ ', '
            ~ sql_literal(file.hash) ~ ', ' ~ (file.bytes if file.bytes is not none else 'cast(null as bigint)')
            ~ ', ' ~ sql_literal(file.key) ~ ', '
            ~ ('cast(null as boolean)' if file.ends_with_newline is none
                else ('true' if file.ends_with_newline else 'false')) ~ ', '
            ~ (sql_literal(file.grown_from) if file.grown_from else 'cast(null as ' ~ dbt.type_string() ~ ')')
            ~ ')') -%}
    {%- endfor -%}
    {%- do run_query('create schema if not exists raw') -%}
    {%- do run_query('drop table if exists raw.' ~ content_keyed_export() ~ '__file_listing') -%}
    {%- do create_table_as_select('raw.' ~ content_keyed_export() ~ '__file_listing', 'select * from (values '
        ~ values | join(', ') ~ ') as listed (file_order, file_name, file_path, file_hash, byte_count, file_key, '
        ~ 'ends_with_newline, grown_from_hash)') -%}
{%- endmacro %}
