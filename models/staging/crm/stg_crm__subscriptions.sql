-- sqlfluff:exclude_rules:references.keywords,references.special_chars,references.quoting,ambiguous.column_count,structure.column_order,layout.indent
-- (.sqlfluff's list, and layout.indent: the custom attribute columns come from Jinja loops it cannot follow.)
{{ follow_seed('raw_crm_subscriptions') }}
-- The raw values checked for unusual characters (macros is_plain_row, control_character_columns).
{%- set checked_columns = raw_checked_columns(['subscription_id', 'account_id', 'product', 'plan', 'seats',
    'contract_value', 'currency', 'start_date', 'renewal_date', 'status'], 'product_account') %}
with

-- Each row numbered in file order, where the export is read (macro row_number_in_file_order).
source as (
    select
        {{ row_number_in_file_order() }} as source_row_number,
        *
    from {{ source('crm', 'raw_crm_subscriptions') }}
),

-- Under the contract's column names (var raw_column_names maps the export's own headers), with its custom
-- attributes.
renamed as (
    select
        source_row_number,
        {{ contract_columns_of('crm', 'raw_crm_subscriptions', ['product_account']) }}
    from source
),

-- Whether the row holds anything but ordinary characters, tested once for all its values (macro clean_text).
flagged as (
    select
        *,
        {{ is_plain_row(checked_columns | map(attribute=0)) }} as is_plain_row
    from renamed
),

cleaned as (
    select
        source_row_number,
        subscription_id as raw_subscription_id,
        {{ clean_text('subscription_id', 'is_plain_row') }} as subscription_id,
        {{ clean_text('account_id', 'is_plain_row') }} as account_id,
        {{ clean_text('product', 'is_plain_row') }} as product_name,
        {{ clean_text('plan', 'is_plain_row') }} as plan,
        {{ clean_text('seats', 'is_plain_row') }} as seats_text,
        {{ clean_text('contract_value', 'is_plain_row') }} as contract_value_text,
        {{ clean_text('currency', 'is_plain_row') }} as currency_text,
        {{ clean_text('start_date', 'is_plain_row') }} as start_date_text,
        {{ clean_text('renewal_date', 'is_plain_row') }} as renewal_date_text,
        lower({{ clean_text('status', 'is_plain_row') }}) as status,
        {{ control_character_columns(checked_columns) }} as control_character_columns,
        -- The ids whose reading in NFC changed them (a data issue: two forms of one id are one id).
        {{ normalized_columns(['subscription_id', 'account_id', 'product']) }} as normalized_columns
        {{ attribute_columns('product_account', 'cleaned') }}
    from flagged
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
        {{ attribute_columns('product_account', 'typed') }}
    from cleaned
)

select * from typed
