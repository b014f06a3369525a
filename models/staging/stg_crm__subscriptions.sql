with

source as (
    select * from {{ raw_export('raw_crm_subscriptions') }}
),

renamed as (
    select
        source_row_number,
        subscription_id as raw_subscription_id,
        {{ clean_text('subscription_id') }} as subscription_id,
        {{ clean_text('account_id') }} as account_id,
        {{ clean_text('product') }} as product_name,
        {{ product_key('product') }} as product_key,
        {{ clean_text('plan') }} as plan,
        {{ clean_text('seats') }} as seats_text,
        {{ try_cast_text("seats", "integer") }} as seats,
        {{ clean_text('contract_value') }} as contract_value_text,
        {{ try_cast_text("contract_value", "decimal(18, 2)") }} as contract_value,
        -- A blank currency means USD (contract).
        coalesce(upper({{ clean_text('currency') }}), 'USD') as currency,
        {{ clean_text('start_date') }} as start_date_text,
        {{ to_date('start_date') }} as start_date,
        {{ clean_text('renewal_date') }} as renewal_date_text,
        {{ to_date('renewal_date') }} as renewal_date,
        lower({{ clean_text('status') }}) as status
    from source
)

select * from renamed
