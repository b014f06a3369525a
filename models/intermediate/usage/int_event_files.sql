-- The files of raw_app_events now, in name order, with the rows each holds and the rows before it: where a row
-- stands in the export read as one (source_row_number = rows_before + file_row_number), for the order of
-- data_issues.csv. A copy of a file (file_copy > 1, the same bytes under another name) counts its rows too: they
-- are raw rows, each recorded as a repeat.
--
-- One row per part of each file: the rows of stg_app__events are stored under file_hash, the hash of the content
-- that first held them. A file that grew (macros/events/grown_event_files.sql) is stored in parts: the content it
-- grew from, then its own hash for its rows after; every other file is one part, its own hash. The event models
-- join their rows here by file_hash (the part) and read the file as content_hash, file_name and file_order.
{%- set parts = event_file_parts() %}
with

files as (
    select * from {{ ref('stg_app__event_files') }}
),

events as (
    select * from {{ ref('stg_app__events') }}
),

-- One scan of the stored rows' hash column, which is stored once per run of equal values.
row_counts as (
    select
        file_hash,
        count(*) as row_count
    from events
    group by file_hash
),

-- Each content's parts, with the row each starts at (event_file_parts: only files that grew are listed).
parts as (
    select
        file_hash as content_hash,
        file_hash as part_hash,
        1 as first_row_number
    from files
    where file_copy = 1
    {%- if parts %}
        and file_hash not in {{ in_list(parts.keys() | list) }}
    union all
    select
        file_hash as content_hash,
        part_hash,
        first_row_number
    from {{ event_file_state('file_parts') }}
    where file_hash in (select files.file_hash from files)
    {%- endif %}
),

part_counts as (
    select
        parts.content_hash,
        parts.part_hash,
        parts.first_row_number,
        coalesce(row_counts.row_count, 0) as row_count
    from parts
    left join row_counts
        on parts.part_hash = row_counts.file_hash
),

content_counts as (
    select
        content_hash,
        sum(row_count) as row_count
    from part_counts
    group by content_hash
),

counted as (
    select
        files.file_order,
        files.file_name,
        files.file_hash,
        files.byte_count,
        coalesce(content_counts.row_count, 0) as file_row_count
    from files
    left join content_counts
        on files.file_hash = content_counts.content_hash
),

placed as (
    select
        *,
        coalesce(sum(file_row_count) over (
            order by file_order rows between unbounded preceding and 1 preceding
        ), 0) as rows_before
    from counted
),

-- A part held by two files (copies, or a file that is again the content another grew from) counts once per
-- file: the first file by name holds it as copy 1, the others as copies of it.
final as (
    select
        placed.file_order,
        placed.file_name,
        part_counts.part_hash as file_hash,
        row_number() over (partition by part_counts.part_hash order by placed.file_order) as file_copy,
        placed.file_hash as content_hash,
        part_counts.first_row_number,
        placed.byte_count,
        part_counts.row_count,
        placed.file_row_count,
        placed.rows_before
    from placed
    inner join part_counts
        on placed.file_hash = part_counts.content_hash
)

select * from final
