-- Every staged CRM account row, with the reason it is left out, if it is. An account id that appears more
-- than once keeps the row updated latest (a tie, or no update time: the first in the file). An id Totango
-- would refuse, or one that is also the id of a product account this project builds (ACC-120__analytics when
-- ACC-120 sells Analytics), is left out here, before it can break the accounts file.
with

accounts as (
    select * from {{ ref('stg_crm__accounts') }}
),

subscriptions as (
    select * from {{ ref('stg_crm__subscriptions') }}
),

-- Every product account id a subscription line of a listed account could give.
product_account_ids as (
    select distinct {{ product_account_id('account_id', 'product_key') }} as product_account_id
    from subscriptions
    where
        product_key is not null
        and account_id in (select accounts.account_id from accounts)
),

ranked as (
    select
        *,
        first_value(source_row_number) over (
            partition by account_id
            order by updated_at desc nulls last, source_row_number asc
        ) as kept_row_number
    from accounts
),

checked as (
    select
        *,
        coalesce(
            {{ first_wins_code('account_id', 'kept_row_number') }},
            case
                when not {{ is_totango_id('account_id') }} then 'invalid_id'
                when account_id in (select ids.product_account_id from product_account_ids as ids) then 'id_conflict'
            end
        ) as rejection_code
    from ranked
),

final as (
    select
        *,
        case rejection_code
            {{ first_wins_detail('account_id', 'account_id', 'kept_row_number', 'the latest updated',
                'CRM export') }}
            when 'invalid_id'
                then
                    'account_id ' || left(account_id, 100) || ' is not a Totango id (letters, digits, _ and -, not '
                    || 'starting with -, at most 400 characters); correct it in the CRM.'
            when 'id_conflict'
                then
                    'account_id ' || account_id || ' is also the id of a product account this project builds '
                    || '(<account id>__<product key>); rename it in the CRM.'
        end as rejection_detail
    from checked
)

select * from final
