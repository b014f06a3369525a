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
        row_number() over by_id as version_rank,
        first_value(subscriptions.source_row_number) over by_id as kept_row_number
    from subscriptions
    left join accounts
        on subscriptions.account_id = accounts.account_id
    window by_id as (
        partition by subscriptions.subscription_id
        order by subscriptions.source_row_number
    )
),

checked as (
    select
        *,
        case
            when subscription_id is null then 'blank_id'
            when version_rank > 1 then 'duplicate'
            when product_key is null or product_key = '' then 'missing_product'
            when not is_account_known then 'unknown_account'
            when status is null or status not in ('active', 'trial', 'cancelled', 'expired') then 'unknown_status'
        end as rejection_code,
        case
            when subscription_id is null
                then 'The subscription_id is blank; fill it in the CRM export.'
            when version_rank > 1
                then
                    'subscription_id ' || subscription_id || ' appears more than once; row '
                    || kept_row_number || ', the first, was kept.'
            when product_key is null or product_key = ''
                then 'The product is blank, so the line belongs to no product account.'
            when not is_account_known
                then
                    'account_id ' || coalesce(account_id, '(blank)')
                    || ' is not in raw_crm_accounts; add the account or correct the id.'
            when status is null or status not in ('active', 'trial', 'cancelled', 'expired')
                then
                    'status ' || coalesce('''' || status || '''', '(blank)')
                    || ' is not one of active, trial, cancelled, expired.'
        end as rejection_detail
    from ranked
)

select * from checked
