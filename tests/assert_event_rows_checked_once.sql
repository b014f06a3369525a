-- int_events_checked holds every current event row exactly once: for each part of a file (and copy of it: the rows
-- of int_event_files), its n parsed rows numbered from its first row on, none twice, none missing, and nothing of a
-- file that is gone. One aggregate per file, so
-- it costs little at millions of rows. The fault it catches: a build that checks a row again without replacing
-- it, or forgets one, as an incremental build could if it chose the wrong rows to reopen.
with

checked as (
    select * from {{ ref('int_events_checked') }}
),

files as (
    select * from {{ ref('int_event_files') }}
),

per_file as (
    select
        file_hash,
        file_copy,
        count(*) as row_count,
        min(file_row_number) as first_row,
        max(file_row_number) as last_row,
        sum(file_row_number) as row_number_sum
    from checked
    group by file_hash, file_copy
),

compared as (
    select
        coalesce(files.file_hash, per_file.file_hash) as file_hash,
        coalesce(files.file_copy, per_file.file_copy) as file_copy,
        coalesce(files.row_count, 0) as rows_in_file,
        files.first_row_number,
        coalesce(per_file.row_count, 0) as rows_checked,
        per_file.first_row,
        per_file.last_row,
        per_file.row_number_sum
    from files
    full outer join per_file
        on files.file_hash = per_file.file_hash and files.file_copy = per_file.file_copy
)

select * from compared
where
    rows_in_file != rows_checked
    or (rows_checked > 0 and (
        first_row != first_row_number
        or last_row != first_row + rows_checked - 1
        or row_number_sum != rows_checked * (first_row + last_row) / 2
    ))
