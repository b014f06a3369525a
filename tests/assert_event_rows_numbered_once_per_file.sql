-- The parsed events hold each file's rows once: numbered 1, 2, ... n, with no row twice and none missing. One
-- aggregate per stored part over columns stored once per run of equal values, so it costs little at millions of
-- rows, where a test of unique (file_hash, file_row_number) would hash every row. A file that grew is stored in
-- parts (raw.raw_app_events__file_parts): each part's rows follow on from the part before it. The fault it
-- catches: a file parsed twice (two builds each taking it for new), a row lost while parsing, or a grown file's
-- parts that overlap or leave a gap. It reads stg_app__events and the list of parts its build writes, nothing
-- built after it (`dbt build -s stg_app__events` runs it alone).
{%- set has_parts = execute and target.type != 'spark' and event_file_state_exists('file_parts') %}
with

events as (
    select * from {{ ref('stg_app__events') }}
),

per_part as (
    select
        file_hash,
        count(*) as row_count,
        min(file_row_number) as first_row,
        max(file_row_number) as last_row,
        sum(file_row_number) as row_number_sum
    from events
    group by file_hash
),

-- Where each part of a file that grew should start: where the list of parts says, and right after the rows of
-- the part before it. Any other stored content is one part, from row 1.
expected as (
    {%- if has_parts %}
    select
        parts.part_hash as file_hash,
        parts.first_row_number,
        coalesce(lag(parts.first_row_number + coalesce(per_part.row_count, 0)) over (
            partition by parts.file_hash order by parts.first_row_number
        ), 1) as follows_on_at
    from {{ event_file_state('file_parts') }} as parts
    left join per_part
        on parts.part_hash = per_part.file_hash
    {%- else %}
        select
            cast(null as {{ dbt.type_string() }}) as file_hash,
            1 as first_row_number,
            1 as follows_on_at
        where false
    {%- endif %}
)

select
    per_part.*,
    expected.first_row_number,
    expected.follows_on_at
from per_part
left join expected
    on per_part.file_hash = expected.file_hash
where
    per_part.first_row != coalesce(expected.first_row_number, 1)
    or coalesce(expected.first_row_number, 1) != coalesce(expected.follows_on_at, 1)
    or per_part.last_row != per_part.first_row + per_part.row_count - 1
    or per_part.row_number_sum != per_part.row_count * (per_part.first_row + per_part.last_row) / 2
