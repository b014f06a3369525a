{#- Post-hook of stg_app__events (DuckDB, folder mode): the listing it parsed, kept until it parses again, with
    each file's whole rows (parsed_whole_rows): the file itself when it ends with a line feed; else the content it
    grew from (what the last parsed listing offered it: a file ending in the middle of a row grows, the next day,
    from the rows that were whole). -#}
{% macro remember_parsed_listing() -%}
    {%- if target.type == 'spark' or not raw_dir() or model.resource_type == 'unit_test' -%}
        {{- return('select 1') -}}
    {%- endif -%}
    {%- set earlier = parsed_whole_rows() -%}
    create or replace table {{ event_file_state('parsed_listing') }} as
    select
        listing.file_key,
        listing.file_hash,
        listing.byte_count,
        listing.ends_with_newline,
        case
            when listing.ends_with_newline then listing.file_hash else earlier.whole_rows_hash
        end as whole_rows_hash,
        case
            when listing.ends_with_newline then listing.byte_count else earlier.whole_rows_byte_count
        end as whole_rows_byte_count
    from {{ source('raw_files', 'raw_app_events__file_listing') }} as listing
    left join (
        {{ earlier if earlier else 'select null as file_key, null as whole_rows_hash, '
            ~ 'cast(null as bigint) as whole_rows_byte_count where false' }}
    ) as earlier
        on listing.file_key = earlier.file_key and listing.grown_from_hash = earlier.whole_rows_hash
{%- endmacro %}
