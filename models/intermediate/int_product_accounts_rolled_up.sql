-- One product account per (CRM account, product), rolled up from its valid subscription lines:
-- value and seats summed over the live (active or trial) lines, 0 when none is live;
-- renewal the earliest live renewal, else the latest of any line; status active > trial > churned.
-- Live lines in more than one currency cannot be summed: the value and currency are left blank (a data issue).
-- A line whose currency is not an ISO 4217 code adds no value (a data issue); its seats still count.
with

lines as (
    select
        *
        replace (case when currency is not null then contract_value end as contract_value)
    from {{ ref('int_subscriptions_checked') }}
    where rejection_code is null
),

rolled_up as (
    select
        account_id,
        product_key,
        -- The product's display name: its first spelling in the file.
        arg_min(product_name, source_row_number) as product_name,
        count(*) as subscription_count,
        count(*) filter (where is_live) as live_subscription_count,
        count(distinct currency) filter (where is_live) as live_currency_count,
        case
            when bool_or(is_live) then sum(contract_value) filter (where is_live)
            else 0
        end as summed_contract_value,
        case
            when bool_or(is_live) then min(currency) filter (where is_live)
            else min(currency)
        end as single_currency,
        case
            when bool_or(is_live) then sum(seats) filter (where is_live)
            else 0
        end as seats,
        -- The plan of the live line that started last; with no live line, of the line that started last.
        arg_max(plan, [is_live::integer, coalesce(epoch(start_date), -1e12), source_row_number]) as plan,
        min(start_date) as contract_start_date,
        coalesce(min(renewal_date) filter (where is_live), max(renewal_date)) as contract_renewal_date,
        {{ rolled_up_status('status') }} as status
    from lines
    group by account_id, product_key
),

final as (
    select
        {{ product_account_id('account_id', 'product_key') }} as product_account_id,
        account_id,
        product_key,
        product_name,
        status,
        -- Sums in wide types: two large lines must not overflow (and stop the build).
        (case when live_currency_count <= 1 then summed_contract_value end)::decimal(38, 2) as contract_value,
        case when live_currency_count <= 1 then single_currency end as currency,
        live_currency_count > 1 as has_mixed_currencies,
        seats::bigint as seats,
        plan,
        contract_start_date,
        contract_renewal_date,
        subscription_count,
        live_subscription_count
    from rolled_up
)

select * from final
