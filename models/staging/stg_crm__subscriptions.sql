{{ follow_seed('raw_crm_subscriptions') }}
with

source as (
    select
        row_number() over () as source_row_number,
        *
    from {{ source('crm', 'raw_crm_subscriptions') }}
),

cleaned as (
    select
        source_row_number,
        subscription_id as raw_subscription_id,
        {{ clean_text('subscription_id') }} as subscription_id,
        {{ clean_text('account_id') }} as account_id,
        {{ clean_text('product') }} as product_name,
        {{ clean_text('plan') }} as plan,
        {{ clean_text('seats') }} as seats_text,
        {{ clean_text('contract_value') }} as contract_value_text,
        {{ clean_text('currency') }} as currency_text,
        {{ clean_text('start_date') }} as start_date_text,
        {{ clean_text('renewal_date') }} as renewal_date_text,
        lower({{ clean_text('status') }}) as status,
        {{ control_character_columns(['subscription_id', 'account_id', 'product', 'plan', 'seats',
            'contract_value', 'currency', 'start_date', 'renewal_date', 'status']) }} as control_character_columns
    from source
),

typed as (
    select
        *,
        {{ product_key('product_name') }} as product_key,
        {{ to_whole_number('seats_text') }} as seats,
        {{ to_amount('contract_value_text') }} as contract_value,
        {{ is_rounded_amount('contract_value_text') }} as is_contract_value_rounded,
        -- A blank currency means USD (contract); one that is not an ISO 4217 code is null (a data issue).
        case when currency_text is null then 'USD' else {{ to_currency('currency_text') }} end as currency,
        {{ to_date('start_date_text') }} as start_date,
        {{ to_date('renewal_date_text') }} as renewal_date
    from cleaned
)

select * from typed
