-- The data issues of raw_app_events: events left out, events sent under their user's product account where they
-- named another, cut to Totango's limits, or from which control characters were removed.
with

checked as (
    select * from {{ ref('int_events_checked') }}
),

events as (
    -- The key as written: raw_event_id is kept only where cleaning changed the id.
    select
        *,
        coalesce(raw_event_id, event_id) as source_key
    from checked
),

sent_events as (
    select * from events
    where rejection_code is null
),

issues as (
    {{ rejection_issues('raw_app_events', 'events', 'source_key') }}

    union all

    select
        'raw_app_events' as source,
        source_row_number,
        source_key,
        'user_account_mismatch' as issue,
        user_account_mismatch_detail as detail,
        'kept' as outcome
    from events
    where user_account_mismatch_detail is not null

    union all

    {{ too_long_issues('raw_app_events', 'sent_events', 'source_key', [
        {'column': 'action', 'limit': 'action', 'header': 'The action'},
        {'column': 'module', 'limit': 'module', 'header': 'The module'},
    ]) }}

    union all

    {{ control_character_issues('raw_app_events', 'events', 'source_key') }}
)

select * from issues
