-- Every staged subscription line, with the reason it is left out, if it is. A subscription id that appears
-- more than once keeps its first row in the file.
with

subscriptions as (
    select * from {{ ref('stg_crm__subscriptions') }}
),

accounts as (
    select * from {{ ref('int_accounts_deduplicated') }}
),

ranked as (
    select
        subscriptions.*,
        accounts.account_id is not null as is_account_known,
        min(subscriptions.source_row_number) over (
            partition by subscriptions.subscription_id
        ) as kept_row_number
    from subscriptions
    left join accounts
        on subscriptions.account_id = accounts.account_id
),

checked as (
    select
        *,
        coalesce(
            {{ first_wins_code('subscription_id', 'kept_row_number') }},
            case
                when product_key is null then 'missing_product'
                when not is_account_known then 'unknown_account'
                when
                    status is null
                    or status not in {{ sql_list(var('subscription_statuses') | map('trim') | map('lower') | list) }}
                    then 'unknown_status'
            end
        ) as rejection_code
    from ranked
),

final as (
    select
        *,
        -- A live line counts in value, seats and renewal (var live_statuses).
        coalesce(status in {{ sql_list(var('live_statuses') | map('trim') | map('lower') | list) }}, false) as is_live,
        case rejection_code
            {{ first_wins_detail('subscription_id', 'subscription_id', 'kept_row_number', 'the first',
                'CRM export') }}
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
