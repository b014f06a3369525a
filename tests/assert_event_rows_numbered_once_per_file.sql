-- The parsed events hold each file's rows once: numbered 1, 2, ... n, with no row twice and none missing. One
-- aggregate per file over columns stored once per run of equal values, so it costs little at millions of rows,
-- where a test of unique (file_hash, file_row_number) would hash every row. The fault it catches: a file parsed
-- twice (two builds each taking it for new) or a row lost while parsing.
with

events as (
    select * from {{ ref('stg_app__events') }}
),

per_file as (
    select
        file_hash,
        count(*) as row_count,
        min(file_row_number) as first_row,
        max(file_row_number) as last_row,
        sum(file_row_number) as row_number_sum
    from events
    group by file_hash
)

select * from per_file
where
    first_row != 1
    or last_row != row_count
    or row_number_sum != row_count * (row_count + 1) / 2
