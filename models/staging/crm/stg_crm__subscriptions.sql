-- sqlfluff:exclude_rules:references.keywords,references.special_chars,references.quoting,ambiguous.column_count,structure.column_order,layout.indent
-- (.sqlfluff's list, and layout.indent: the custom attribute columns come from Jinja loops it cannot follow.)
{{ follow_seed('raw_crm_subscriptions') }}
-- The raw values checked for unusual characters (macros is_plain_row, control_character_columns).
{%- set checked_columns = raw_checked_columns(contract_column_names('crm', 'raw_crm_subscriptions'),
    'product_account') %}
with

{{ raw_export_ctes('crm', 'raw_crm_subscriptions', 'product_account', checked_columns) }},

cleaned as (
    select
        -- Clean text of every column (macro cleaned_columns); statuses are compared in lower case, as written.
        {{ cleaned_columns('crm', 'raw_crm_subscriptions', 'product_account', checked_columns, 'subscription_id',
            ids=['subscription_id', 'account_id', 'product'], aliases={'product': 'product_name', 'seats': 'seats_text',
            'contract_value': 'contract_value_text', 'currency': 'currency_text', 'start_date': 'start_date_text',
            'renewal_date': 'renewal_date_text'}, lowered=['status']) }}
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
