-- The files of raw_app_events now, in name order, with the rows each holds and the rows before it: where a row
-- stands in the export read as one (source_row_number = rows_before + file_row_number), for the order of
-- data_issues.csv. A copy of a file (file_copy > 1, the same bytes under another name) counts its rows too: they
-- are raw rows, each recorded as a repeat.
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

counted as (
    select
        files.file_order,
        files.file_name,
        files.file_hash,
        files.file_copy,
        files.byte_count,
        coalesce(row_counts.row_count, 0) as row_count
    from files
    left join row_counts
        on files.file_hash = row_counts.file_hash
)

select
    *,
    coalesce(sum(row_count) over (
        order by file_order rows between unbounded preceding and 1 preceding
    ), 0) as rows_before
from counted
