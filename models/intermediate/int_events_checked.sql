-- Every staged event, resolved to its Totango user (email and product account), with the reason it is left
-- out, if it is. An event id repeated (a re-delivery) is sent once: its first row in the export.
-- Rebuilt whole on every build, from the current users: an event whose user arrives (or changes) later
-- resolves afresh; which events go into a file is for export.py and its ledger of event ids, never a time.
with

events as (
    select * from {{ ref('stg_app__events') }}
),

users as (
    select * from {{ ref('int_users_checked') }}
),

-- Each user id that stands for a Totango user (int_users_checked decides which).
event_users as (
    select
        user_id,
        email,
        product_account_id
    from users
    where is_event_user
),

-- Why a user id that is in the users export did not make a Totango user, for the event's detail.
rejected_users as (
    select
        user_id,
        min(rejection_code) as rejection_code
    from users
    where user_id is not null and rejection_code not in ('duplicate', 'duplicate_email')
    group by user_id
),

-- The product key of each product name the events use: computed once per name, not once per event.
products as (
    select
        product_name,
        {{ product_key('product_name') }} as product_key
    from (
        select distinct product_name
        from events
        where product_name is not null
    ) as names
),

-- The first row of each event id. An aggregate, not a window over all columns: at ten million events it is
-- the difference between a hash table of ids and a sort of every row.
first_rows as (
    select
        event_id,
        min(source_row_number) as kept_row_number,
        min_by(source_file, source_row_number) as kept_file
    from events
    where event_id is not null
    group by event_id
),

-- Where each file starts in the export (a folder of files is read as one export, files in name order), so a
-- row can be named by its file and its row in that file. A single file has no name here (source_file null).
files as (
    select
        source_file,
        min(source_row_number) - 1 as rows_before
    from events
    group by source_file
),

resolved as (
    select
        events.source_row_number,
        events.raw_event_id,
        events.event_id,
        events.user_id,
        events.account_id,
        events.product_name,
        events.module,
        events.action,
        events.occurred_at_text,
        events.occurred_at,
        events.control_character_columns,
        first_rows.kept_row_number,
        first_rows.kept_file,
        first_rows.kept_row_number - files.rows_before as kept_file_row_number,
        event_users.email,
        event_users.product_account_id,
        rejected_users.rejection_code as user_rejection_code,
        -- The product account the event names itself; the user's wins where they differ (a data issue).
        {{ product_account_id('events.account_id', 'products.product_key') }} as event_product_account_id
    from events
    left join first_rows
        on events.event_id = first_rows.event_id
    left join files
        on first_rows.kept_file is not distinct from files.source_file
    left join event_users
        on events.user_id = event_users.user_id
    left join rejected_users
        on events.user_id = rejected_users.user_id
    left join products
        on events.product_name = products.product_name
),

checked as (
    select
        *,
        coalesce(
            {{ first_wins_code('event_id', 'kept_row_number') }},
            case
                when product_account_id is null then 'unknown_user'
                when occurred_at is null then 'invalid_timestamp'
                when module is null or action is null then 'missing_value'
            end
        ) as rejection_code
    from resolved
),

-- Columns that matter only for a few rows are kept only there: at ten million events every column written
-- to the table costs seconds.
final as (
    select
        source_row_number,
        event_id,
        -- The id exactly as written, where cleaning changed it (or it was blank): the data-issues key.
        case when raw_event_id = event_id then null else coalesce(raw_event_id, '') end as raw_event_id,
        user_id,
        email,
        product_account_id,
        module,
        action,
        occurred_at,
        control_character_columns,
        rejection_code,
        case rejection_code
            when 'blank_id' then 'The event_id is blank; fill it in the product export.'
            when 'duplicate'
                then
                    'event_id ' || event_id || ' appears more than once in the export; its first row (row '
                    || kept_file_row_number || coalesce(' of ' || kept_file, '') || ') is the one used, and an '
                    || 'event id is sent once.'
            when 'unknown_user'
                then
                    case
                        when user_rejection_code is not null
                            then
                                'user_id ' || user_id || ' was rejected in raw_app_users (' || user_rejection_code
                                || '); correct that user row.'
                        else 'user_id ' || coalesce(left(user_id, 100), '(blank)') || ' is not in raw_app_users.'
                    end
            when 'invalid_timestamp'
                then
                    'occurred_at ' || coalesce('''' || left(occurred_at_text, 100) || '''', '(blank)')
                    || ' is not an ISO 8601 timestamp between {{ var("earliest_valid_date") }} and '
                    || '{{ var("latest_valid_date") }} (e.g. 2026-11-25T14:02:00Z).'
            when 'missing_value'
                then
                    'The ' || case when module is null then 'module' else 'action' end
                    || ' is blank, and Totango needs both module and action.'
        end as rejection_detail,
        case
            when rejection_code is null and coalesce(event_product_account_id, '') != product_account_id
                then
                    'The event names ' || coalesce(left(account_id, 100), '(blank)') || ' / '
                    || coalesce(left(product_name, 100), '(blank)') || ' but user ' || user_id || ' belongs to '
                    || product_account_id || '; the event is sent under the user''s product account.'
        end as user_account_mismatch_detail
    from checked
)

select * from final
