-- The data issues of raw_app_events: events left out, events sent under their user's product account where they
-- named another, cut to Totango's limits, or from which control characters were removed. Each row is placed in
-- the export read as one (source_row_number: the rows of the files before its file, then its row in its file).
with

checked as (
    select * from {{ ref('int_events_checked') }}
),

files as {{ read_where_used() }} (
    select * from {{ ref('int_event_files') }}
),

-- The rows that may have an issue: a small share of millions, found by cheap tests before any other work (the
-- length test stands in front of too_long_issues' exact one).
flagged as (
    select * from checked
    where
        rejection_code is not null
        or user_account_mismatch_detail is not null
        or control_character_columns is not null
        or length(action) >= {{ var('totango_limits')[output_limit('usage.csv', 'Action')] }}
        or length(module) >= {{ var('totango_limits')[output_limit('usage.csv', 'Module')] }}
),

events as (
    -- The key as written: raw_event_id is kept only where cleaning changed the id.
    select
        flagged.*,
        files.rows_before + flagged.file_row_number as source_row_number,
        coalesce(flagged.raw_event_id, flagged.event_id) as source_key
    from flagged
    inner join files
        on flagged.file_hash = files.file_hash and flagged.file_copy = files.file_copy
),

sent_events as (
    select * from events
    where rejection_code is null
),

issues as (
    {{ rejection_issues('raw_app_events', 'events', 'source_key') }}

    union all

    select
        {% call data_issue_row('raw_app_events', 'source_key', issue='user_account_mismatch') -%}
            user_account_mismatch_detail
        {% endcall %}
    from events
    where user_account_mismatch_detail is not null

    union all

    {{ too_long_issues('raw_app_events', 'sent_events', 'source_key', [
        {'column': 'action', 'limit': output_limit('usage.csv', 'Action'), 'header': 'The action'},
        {'column': 'module', 'limit': output_limit('usage.csv', 'Module'), 'header': 'The module'},
    ]) }}

    union all

    {{ control_character_issues('raw_app_events', 'events', 'source_key') }}
)

select * from issues
