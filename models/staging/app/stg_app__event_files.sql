-- The files of raw_app_events now, in name order, each known by its content: in folder mode the SHA-256 of its
-- bytes (the listing the build makes when it starts, macro register_event_files); in seed mode the one "file" is the
-- seed table, known by a hash of the rows it holds now (dbt seed loads it, and a `dbt run` does not: the rows parsed
-- must be the rows hashed). Two files with the same content are one content read once: file_copy numbers them
-- (the first in name order is copy 1). A file that grew from content parsed before names it (grown_from_hash:
-- macros/events/grown_event_files.sql).
{{ follow_seed('raw_app_events') }}
with

files as (
    {% if raw_dir() -%}
        select * from {{ source('raw_files', 'raw_app_events__file_listing') }}
    {%- else -%}
        select
            1 as file_order,
            cast(null as {{ dbt.type_string() }}) as file_name,
            {{ table_content_hash(ref('raw_app_events')) }} as file_hash,
            cast(null as bigint) as byte_count,
            cast(null as {{ dbt.type_string() }}) as file_key,
            cast(null as boolean) as ends_with_newline,
            cast(null as {{ dbt.type_string() }}) as grown_from_hash
    {%- endif %}
),

numbered as (
    select
        file_order,
        file_name,
        file_hash,
        byte_count,
        file_key,
        ends_with_newline,
        grown_from_hash,
        row_number() over (partition by file_hash order by file_order) as file_copy
    from files
)

select * from numbered
