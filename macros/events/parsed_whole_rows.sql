{#- The SQL of what a file may grow from, by path in the raw folder: (file_key, whole_rows_hash,
    whole_rows_byte_count), the longest content stg_app__events last parsed under that path that ended with a line
    feed (its last row whole). That is the content parsed itself when it ended with one; when it did not (a file
    caught in the middle of a row: a copy still running), the content it grew from, so that the next day's file,
    its last row completed, is still known as grown from the rows parsed before (the half row's content is then a
    content gone). None before the first parse. A parsed listing of an older build (no whole_rows columns) offers
    what it did: each content that ended with a line feed. -#}
{% macro parsed_whole_rows() -%}
    {%- if not execute or not event_file_state_exists('parsed_listing') -%}{{- return(none) -}}{%- endif -%}
    {%- set listing = event_file_state('parsed_listing') -%}
    {%- set found = run_query("select count(*) from duckdb_columns() where schema_name = 'raw' and table_name = "
        ~ sql_literal(content_keyed_export() ~ '__parsed_listing') ~ " and column_name = 'whole_rows_hash'") -%}
    {%- if found.rows[0][0] > 0 -%}
        {{- return('select file_key, whole_rows_hash, whole_rows_byte_count from ' ~ listing
            ~ ' where whole_rows_hash is not null and whole_rows_byte_count is not null and file_key is not null') -}}
    {%- endif -%}
    {{- return('select file_key, file_hash as whole_rows_hash, byte_count as whole_rows_byte_count from ' ~ listing
        ~ ' where ends_with_newline and byte_count is not null and file_key is not null') -}}
{%- endmacro %}
