-- Every staged event, resolved to its Totango user (email and product account), with the reason it is left
-- out, if it is. An event id repeated (a re-delivery) is sent once: its first row in the file.
with

events as (
    select * from {{ ref('stg_app__events') }}
),

users as (
    select * from {{ ref('int_users_checked') }}
),

-- Each user id that stands for a Totango user. A user merged into another by email still resolves: to the
-- same email and product account as the user it was merged into.
known_users as (
    select
        user_id,
        email,
        product_account_id
    from users
    where rejection_code is null or rejection_code = 'duplicate_email'
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

ranked as (
    select
        events.*,
        -- The product account the event names itself; the user's wins where they differ (a data issue).
        {{ product_account_id('events.account_id', 'events.product_key') }} as event_product_account_id,
        known_users.email,
        known_users.product_account_id,
        rejected_users.rejection_code as user_rejection_code,
        row_number() over by_id as version_rank,
        first_value(events.source_row_number) over by_id as kept_row_number
    from events
    left join known_users
        on events.user_id = known_users.user_id
    left join rejected_users
        on events.user_id = rejected_users.user_id
    window by_id as (
        partition by events.event_id
        order by events.source_row_number
    )
),

checked as (
    select
        *,
        case
            when event_id is null then 'blank_id'
            when version_rank > 1 then 'duplicate'
            when product_account_id is null then 'unknown_user'
            when occurred_at is null then 'invalid_timestamp'
            when module is null or action is null then 'missing_value'
        end as rejection_code,
        case
            when event_id is null
                then 'The event_id is blank; fill it in the product export.'
            when version_rank > 1
                then
                    'event_id ' || event_id || ' was delivered more than once; row '
                    || kept_row_number || ', the first, is sent once.'
            when product_account_id is null and user_rejection_code is not null
                then
                    'user_id ' || user_id || ' was rejected in raw_app_users (' || user_rejection_code
                    || '); correct that user row.'
            when product_account_id is null
                then 'user_id ' || coalesce(user_id, '(blank)') || ' is not in raw_app_users.'
            when occurred_at is null
                then
                    'occurred_at ' || coalesce('''' || occurred_at_text || '''', '(blank)')
                    || ' is not an ISO 8601 timestamp (e.g. 2026-11-25T14:02:00Z).'
            when module is null or action is null
                then
                    'The ' || case when module is null then 'module' else 'action' end
                    || ' is blank, and Totango needs both module and action.'
        end as rejection_detail
    from ranked
)

select * from checked
