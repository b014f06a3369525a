-- Every staged user row, resolved to its product account, with the reason it is left out, if it is.
-- A user id that appears more than once is used as its row with the latest login that can be used (a tie: the
-- first in the file): a row with an invalid email, an email that cannot be a Totango User ID or no product
-- account keeps its own issue and never shadows a good row of the same id. Two user ids with one email in one
-- product account are one Totango user: of their used rows the latest login is kept and the other is merged
-- into it (its events still count, under the same email).
--
-- Built on from one build to the next (incremental, on DuckDB): the users export is re-delivered whole each day,
-- but only the open user ids are checked again: those with a row that differs from the row stored at the same
-- position (new, changed or gone: the raw row's fingerprint, stg_app__users.raw_row_hash; or resolved to another
-- product account now), and every user id used as a row in an email group (email, product account) such a row
-- was or is in, or any row of a user id with such a row is in, since a merge by email decides between them (the
-- CTEs open_groups, open_ids). The rows of every other user id stay as they were: their rows, product accounts
-- and the group of the row they are used as are the same, and so is everyone used in that group. A build on other
-- rules checks everything (user_check_plan), as --full-refresh does, and Spark, where this is a table rebuilt
-- whole. Either way the same rows come out.
{%- set rules_version = user_rules_version() %}
{%- set plan = user_check_plan(rules_version) %}
{{ users_by_position_config('table', 'checked_in_build') }}
with

users as {{ read_where_used() }} (
    select * from {{ ref('stg_app__users') }}
),

product_accounts as {{ read_where_used() }} (
    select * from {{ ref('int_product_accounts_rolled_up') }}
),

{%- if not plan.full %}

-- What the last build stored.
stored as {{ read_where_used() }} (
    select * from {{ this }}
),

-- The positions to check again: a row new, gone or changed (by its raw row's fingerprint); a row whose product
-- account is now another (a subscription added, ended or moved); and the export's last row, always, so that the
-- post-hook forget_rows_past_the_end knows where the export ends now.
changed_positions as (
    select coalesce(today.source_row_number, stored.source_row_number) as source_row_number
    from users as today
    full outer join stored
        on today.source_row_number = stored.source_row_number
    where today.raw_row_hash is distinct from stored.raw_row_hash
    union
    select stored.source_row_number
    from stored
    left join product_accounts
        on
            stored.account_id = product_accounts.account_id
            and stored.product_key = product_accounts.product_key
    where stored.product_account_id is distinct from product_accounts.product_account_id
    union
    select max(last_row.source_row_number) as source_row_number from users as last_row
),

-- The changed rows as they were and as they are: their user ids and email groups.
changed_rows as (
    select
        user_id,
        email,
        product_account_id
    from stored
    where source_row_number in (select changed_positions.source_row_number from changed_positions)
    union all
    select
        users.user_id,
        users.email,
        product_accounts.product_account_id
    from users
    left join product_accounts
        on
            users.account_id = product_accounts.account_id
            and users.product_key = product_accounts.product_key
    where users.source_row_number in (select changed_positions.source_row_number from changed_positions)
),

-- The email groups where who is merged into whom may change: those a changed row was or is in, and those of every
-- other row of a user id with a changed row, since the row such a user is used as may now be another (a newer
-- login, a row become unusable), in another group. A user id without a changed row is used as the same row.
open_groups as (
    select
        changed_rows.email,
        changed_rows.product_account_id
    from changed_rows
    union
    select
        stored.email,
        stored.product_account_id
    from stored
    where stored.user_id in (select changed_rows.user_id from changed_rows)
),

-- The user ids checked again: those with a changed row, and those used as a row in an open email group (the row
-- a user id is used as: not rejected, or merged by email). Only that row: a user id whose rows did not change is
-- used as the same row, and its outcome is decided in that row's group, which must then be open whole; the group
-- of a row it does not use is not.
open_ids as (
    select changed_rows.user_id from changed_rows
    union
    select stored.user_id from stored
    inner join open_groups
        on
            stored.email = open_groups.email
            and stored.product_account_id = open_groups.product_account_id
    where stored.rejection_code is null or stored.rejection_code = 'duplicate_email'
),

-- The positions of every row of the open user ids (a row not changed is where it was, with the same values), and
-- of every row without a user id (each its own, but the kept_row_number of such rows is counted among all).
open_positions as (
    select changed_positions.source_row_number from changed_positions
    union
    select stored.source_row_number from stored
    where stored.user_id is null or stored.user_id in (select open_ids.user_id from open_ids)
),
{%- endif %}

-- The rows to check, each with its product account: every row on a full check, else those of the open user ids.
resolved as (
    select
        {{ star_except(['rules_version', 'staged_in_build', 'staged_content'], 'users') }},
        users.rules_version as staged_rules_version,
        product_accounts.product_account_id
    from users
    left join product_accounts
        on
            users.account_id = product_accounts.account_id
            and users.product_key = product_accounts.product_key
    {%- if not plan.full %}
    where users.source_row_number in (select open_positions.source_row_number from open_positions)
    {%- endif %}
),

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
    from resolved
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
        {{ star_except(['staged_rules_version']) }},
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
        -- This build's rules; but a row stg_app__users staged under others (a model run alone under other vars)
        -- says so, so that the next build, seeing rules other than its own, checks every row again
        -- (user_check_plan): else, once staged again under these, its raw row unchanged, it would be kept as is.
        case
            when staged_rules_version = {{ sql_literal(rules_version) }} then {{ sql_literal(rules_version) }}
            else 'staged under ' || coalesce(staged_rules_version, 'no rules')
        end as rules_version,
        {{ sql_literal(invocation_id) }} as checked_in_build
    from checked
)

select * from final
