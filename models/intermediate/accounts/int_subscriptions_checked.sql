-- Every staged subscription line, with the reason it is left out, if it is. A subscription id that appears
-- more than once is used as its first line in the file that can be used: a line with a blank product, an
-- unknown account or an unknown status keeps its own issue and never shadows a good line of the same id.
with

subscriptions as (
    select * from {{ ref('stg_crm__subscriptions') }}
),

accounts as {{ read_where_used() }} (
    select * from {{ ref('int_accounts_deduplicated') }}
),

-- What makes the line itself unusable, whatever other lines of its id say.
line_issues as (
    select
        subscriptions.*,
        case
            when subscriptions.product_key is null then 'missing_product'
            when accounts.account_id is null then 'unknown_account'
            when
                subscriptions.status is null
                or subscriptions.status
                not in {{ nfc_sql_list(var('subscription_statuses') | map('trim') | map('lower') | list) }}
                then 'unknown_status'
        end as line_issue
    from subscriptions
    left join accounts
        on subscriptions.account_id = accounts.account_id
),

ranked as (
    select
        *,
        {{ first_usable_row('subscription_id', 'line_issue', 'source_row_number') }} as kept_row_number
    from line_issues
),

checked as (
    select
        *,
        {{ first_usable_code('subscription_id', 'line_issue', 'kept_row_number') }} as rejection_code
    from ranked
),

final as (
    select
        *,
        -- A live line counts in value, seats and renewal (var live_statuses).
        coalesce(
            status in {{ nfc_sql_list(var('live_statuses') | map('trim') | map('lower') | list) }}, false
        ) as is_live,
        case rejection_code
            {{ first_wins_detail('subscription_id', 'subscription_id', 'kept_row_number',
                'the first in the file that can be used', 'CRM export') }}
            when 'missing_product' then 'The product is blank, so the line belongs to no product account.'
            when 'unknown_account'
                then
                    'account_id ' || coalesce(left(account_id, 100), '(blank)')
                    || ' is not in raw_crm_accounts (or was left out there); add the account or correct the id.'
            when 'unknown_status'
                then
                    'status ' || coalesce('''' || left(status, 100) || '''', '(blank)') || ' is not one of '
                    || {{ sql_literal(var('subscription_statuses') | join(', ') ~ '.') }}
        end as rejection_detail
    from checked
)

select * from final
