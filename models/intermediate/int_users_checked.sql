-- Every staged user row, resolved to its product account, with the reason it is left out, if it is.
-- A user id that appears more than once keeps the row with the latest login (a tie: the first in the file).
-- Two user ids with one email in one product account are one Totango user: the latest login is kept and the
-- other is merged into it (its events still count, under the same email).
with

users as (
    select * from {{ ref('stg_app__users') }}
),

product_accounts as (
    select * from {{ ref('int_product_accounts_rolled_up') }}
),

ranked as (
    select
        users.*,
        product_accounts.product_account_id,
        row_number() over by_id as version_rank,
        first_value(users.source_row_number) over by_id as kept_row_number
    from users
    left join product_accounts
        on
            users.account_id = product_accounts.account_id
            and users.product_key = product_accounts.product_key
    window by_id as (
        partition by users.user_id
        order by users.last_login_at desc nulls last, users.source_row_number asc
    )
),

first_checks as (
    select
        *,
        case
            when user_id is null then 'blank_id'
            when version_rank > 1 then 'duplicate'
            when not {{ is_valid_email('email') }} then 'invalid_email'
            when product_account_id is null then 'unknown_product_account'
        end as first_rejection_code
    from ranked
),

-- Among the users that passed, one per (email, product account).
email_ranked as (
    select
        source_row_number,
        row_number() over by_email as email_rank,
        first_value(user_id) over by_email as kept_user_id
    from first_checks
    where first_rejection_code is null
    window by_email as (
        partition by email, product_account_id
        order by last_login_at desc nulls last, source_row_number asc
    )
),

checked as (
    select
        first_checks.* exclude (first_checks.first_rejection_code),
        case
            when first_checks.first_rejection_code is not null then first_checks.first_rejection_code
            when email_ranked.email_rank > 1 then 'duplicate_email'
        end as rejection_code,
        case
            when first_checks.first_rejection_code = 'blank_id'
                then 'The user_id is blank; fill it in the product export.'
            when first_checks.first_rejection_code = 'duplicate'
                then
                    'user_id ' || first_checks.user_id || ' appears more than once; row '
                    || first_checks.kept_row_number || ', the latest login, was kept.'
            when first_checks.first_rejection_code = 'invalid_email'
                then
                    'email ' || coalesce('''' || first_checks.email || '''', '(blank)')
                    || ' is not a valid address, and the email is the user''s id in Totango.'
            when first_checks.first_rejection_code = 'unknown_product_account'
                then
                    'account ' || coalesce(first_checks.account_id, '(blank)') || ' has no '
                    || coalesce('''' || first_checks.product_name || '''', '(blank)')
                    || ' subscription, so there is no product account for this user.'
            when email_ranked.email_rank > 1
                then
                    'email ' || first_checks.email || ' is also user ' || email_ranked.kept_user_id
                    || ' in product account ' || first_checks.product_account_id
                    || '; merged into that user, whose events it shares.'
        end as rejection_detail
    from first_checks
    left join email_ranked
        on first_checks.source_row_number = email_ranked.source_row_number
)

select * from checked
