-- The data issues of raw_app_events (int_issues__app_events_by_row), each placed in the export read as one
-- (source_row_number: the rows of the files before its file, then its row in its file). A view: the places move
-- when a file is added before others, and writing the rows again each build would cost what the stored issues save.
{{ config(materialized='view') }}
with

issues as (
    select * from {{ ref('int_issues__app_events_by_row') }}
),

files as (
    select * from {{ ref('int_event_files') }}
),

placed as (
    select
        issues.source,
        files.rows_before + issues.file_row_number as source_row_number,
        issues.source_key,
        issues.issue,
        issues.detail,
        issues.outcome
    from issues
    inner join files
        on issues.file_hash = files.file_hash and issues.file_copy = files.file_copy
    where issues.issue is not null
)

select * from placed
