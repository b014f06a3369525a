-- Every staged user row, resolved to its product account, with the reason it is left out, if it is.
-- A user id that appears more than once is used as its row with the latest login that can be used (a tie: the
-- first in the file): a row with an invalid email, an email that cannot be a Totango User ID or no product
-- account keeps its own issue and never shadows a good row of the same id. Two user ids with one email in one
-- product account are one Totango user: of their used rows the latest login is kept and the other is merged
-- into it (its events still count, under the same email).
--
-- Built on from one build to the next (incremental, on DuckDB): the users export is re-delivered whole each day,
-- but only the open user ids are checked again: those with a row that differs from the row stored at the same
-- position (new, changed, gone, or resolved to another product account), and every user id in an email group
-- (email, product account) such a row was or is in, since a merge by email decides between them. The rows of
-- every other user id stay as they were: their rows, product accounts and email groups are the same, so their
-- outcome is. A build on other rules checks everything (user_check_plan), as --full-refresh does, and Spark,
-- where this is a table rebuilt whole. Either way the same rows come out.
{%- set rules_version = user_rules_version() %}
{%- set plan = user_check_plan(rules_version) %}
{{ config(
    materialized='table' if target.type == 'spark' else 'incremental',
    incremental_strategy='delete+insert',
    unique_key='source_row_number',
    on_schema_change='sync_all_columns',
    post_hook=["{{ forget_gone_user_rows(this) }}"],
) }}
with

users as (
    select * from {{ ref('stg_app__users') }}
),

product_accounts as (
    select * from {{ ref('int_product_accounts_rolled_up') }}
),

resolved as (
    select
        users.*,
        product_accounts.product_account_id
    from users
    left join product_accounts
        on
            users.account_id = product_accounts.account_id
            and users.product_key = product_accounts.product_key
),

{%- if not plan.full %}
{%- set compared = adapter.get_columns_in_relation(ref('stg_app__users')) | map(attribute='name') | list
    + ['product_account_id'] %}

-- What the last build stored, compared with today's rows position by position.
stored as (
    select * from {{ this }}
),

-- The positions whose row is new, gone or differs in any staged value or its product account; and the export's
-- last row, always checked again, so that the post-hook forget_gone_user_rows knows where the export ends now.
changed_rows as (
    select
        coalesce(today.source_row_number, stored.source_row_number) as source_row_number,
        today.user_id as today_user_id,
        today.email as today_email,
        today.product_account_id as today_product_account_id,
        stored.user_id as stored_user_id,
        stored.email as stored_email,
        stored.product_account_id as stored_product_account_id
    from resolved as today
    full outer join stored
        on today.source_row_number = stored.source_row_number
    where
        today.source_row_number = (select max(last_row.source_row_number) from resolved as last_row)
        {%- for column in compared %}
        or today.{{ adapter.quote(column) }} is distinct from stored.{{ adapter.quote(column) }}
        {%- endfor %}
),

-- The email groups a changed row was or is in: who is merged into whom may change there.
touched_groups as (
    select
        today_email as email,
        today_product_account_id as product_account_id
    from changed_rows
    union
    select
        stored_email as email,
        stored_product_account_id as product_account_id
    from changed_rows
),

-- The user ids checked again: those with a changed row, and those with a row in a touched email group.
open_ids as (
    select today_user_id as user_id from changed_rows
    union
    select stored_user_id as user_id from changed_rows
    union
    select stored.user_id from stored
    inner join touched_groups
        on
            stored.email = touched_groups.email
            and stored.product_account_id = touched_groups.product_account_id
),

-- Every row of the open user ids, and every row without a user id (each its own, but the kept_row_number of
-- such rows is counted among all of them).
open_rows as (
    select * from resolved
    where user_id in (select open_ids.user_id from open_ids where open_ids.user_id is not null)
    union all
    select * from resolved
    where user_id is null
),
{%- endif %}

-- What makes the row itself unusable, whatever other rows of its user id say.
row_issues as (
    select
        *,
        case
            when not {{ is_valid_email('email') }} then 'invalid_email'
            -- Totango's User ID: letters, digits and _ - @ . only, at most 100 characters. Not repaired: two
            -- emails must never become one id.
            when not coalesce(
                {{ regex_full_match('email', '[\p{L}\p{M}\p{N}_@.-]+') }}
                and length(email) <= {{ var('totango_limits')['user_id'] }},
                false
            ) then 'invalid_user_id'
            when product_account_id is null then 'unknown_product_account'
        end as row_issue
    from {{ 'resolved' if plan.full else 'open_rows' }}
),

ranked as (
    select
        *,
        {{ first_usable_row('user_id', 'row_issue',
            'last_login_at desc nulls last, source_row_number asc') }} as kept_row_number
    from row_issues
),

first_checks as (
    select
        *,
        {{ first_usable_code('user_id', 'row_issue', 'kept_row_number') }} as first_rejection_code
    from ranked
),

-- Among the rows used (one per user id), one per (email, product account).
email_ranked as (
    select
        source_row_number,
        user_id,
        row_number() over by_email as email_rank,
        first_value(user_id) over by_email as kept_user_id
    from first_checks
    where first_rejection_code is null
    window by_email as (
        partition by email, product_account_id
        order by last_login_at desc nulls last, source_row_number asc
    )
),

-- The user ids whose used row is merged into another user by email: their other rows say so.
merged_users as (
    select
        user_id,
        kept_user_id as merged_into_user_id
    from email_ranked
    where email_rank > 1
),

checked as (
    select
        {{ star_except(['first_rejection_code'], 'first_checks') }},
        email_ranked.kept_user_id,
        merged_users.merged_into_user_id,
        coalesce(
            first_checks.first_rejection_code,
            case when email_ranked.email_rank > 1 then 'duplicate_email' end
        ) as rejection_code
    from first_checks
    left join email_ranked
        on first_checks.source_row_number = email_ranked.source_row_number
    left join merged_users
        on first_checks.user_id = merged_users.user_id
),

final as (
    select
        *,
        -- The user ids whose events are sent: the kept users, and the users merged into one of them by email
        -- (same email, same product account).
        rejection_code is null or rejection_code = 'duplicate_email' as is_event_user,
        case rejection_code
            {{ first_wins_detail('user_id', 'user_id', 'kept_row_number', 'the latest login that can be used',
                'product export', "', merged by email into user ' || merged_into_user_id") }}
            when 'invalid_email'
                then
                    'email ' || coalesce('''' || left(email, 100) || '''', '(blank)')
                    || ' is not a valid address (or starts with = + - @), and the email is the user''s id in '
                    || 'Totango.'
            when 'invalid_user_id'
                then
                    'email ' || left(email, 100) || ' cannot be a Totango User ID (letters, digits and _ - @ . '
                    || 'only, at most {{ var("totango_limits")["user_id"] }} characters).'
            when 'unknown_product_account'
                then
                    'account ' || coalesce(left(account_id, 100), '(blank)') || ' has no '
                    || coalesce('''' || left(product_name, 100) || '''', '(blank)')
                    || ' subscription, so there is no product account for this user.'
            when 'duplicate_email'
                then
                    'email ' || email || ' is also user ' || kept_user_id || ' in product account '
                    || product_account_id || '; merged into that user, whose events it shares.'
        end as rejection_detail,
        {{ sql_literal(rules_version) }} as rules_version,
        {{ sql_literal(invocation_id) }} as checked_in_build
    from checked
)

select * from final
