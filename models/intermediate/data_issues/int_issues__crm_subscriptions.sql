-- The data issues of raw_crm_subscriptions: lines left out, and lines used with a value that could not be read,
-- rounded, cut to Totango's limit, or summed (live lines in two currencies), or from which control characters
-- were removed, or whose ids were read in Unicode's composed form.
with

checked as {{ read_where_used() }} (
    select * from {{ ref('int_subscriptions_checked') }}
),

product_accounts as {{ read_where_used() }} (
    select * from {{ ref('int_product_accounts_rolled_up') }}
),

used_lines as (
    select
        checked.*,
        product_accounts.product_account_id,
        product_accounts.has_mixed_currencies
    from checked
    inner join product_accounts
        on
            checked.account_id = product_accounts.account_id
            and checked.product_key = product_accounts.product_key
    where checked.rejection_code is null
),

-- The line that names each product account (its first), where the Account Name "<CRM name> - <product>" is cut.
named_products as (
    select
        used_lines.source_row_number,
        used_lines.raw_subscription_id,
        product_accounts.full_account_name
    from used_lines
    inner join product_accounts
        on used_lines.source_row_number = product_accounts.first_line_row
),

issues as (
    {{ rejection_issues('raw_crm_subscriptions', 'checked', 'raw_subscription_id') }}

    union all

    {{ unreadable_value_issues('raw_crm_subscriptions', 'used_lines', 'raw_subscription_id', [
        {'raw': 'seats_text', 'typed': 'seats', 'name': 'seats',
         'expected': 'a whole number from 0 to 1000000000',
         'consequence': 'the line counts as having no seats in the roll-up (Seats)'},
        {'raw': 'contract_value_text', 'typed': 'contract_value', 'name': 'contract_value',
         'expected': 'an amount of at least 0 with a dot for decimals',
         'consequence': 'the line counts as having no value in the roll-up (Contract Value)'},
        {'raw': 'currency_text', 'typed': 'currency', 'name': 'currency',
         'expected': 'an ISO 4217 currency code',
         'consequence': 'the line counts as having no value in the roll-up (Contract Value)'},
        {'raw': 'start_date_text', 'typed': 'start_date', 'name': 'start_date',
         'expected': 'a YYYY-MM-DD date between ' ~ var('earliest_valid_date') ~ ' and ' ~ var('latest_valid_date'),
         'consequence': 'the line counts as having no start date in the roll-up (Contract Start Date)'},
        {'raw': 'renewal_date_text', 'typed': 'renewal_date', 'name': 'renewal_date',
         'expected': 'a YYYY-MM-DD date between ' ~ var('earliest_valid_date') ~ ' and ' ~ var('latest_valid_date'),
         'consequence': 'the line counts as having no renewal date in the roll-up (Contract Renewal Date)'},
    ] + attribute_value_checks('product_account')) }}

    union all

    {{ too_long_issues('raw_crm_subscriptions', 'used_lines', 'raw_subscription_id', [
        {'column': 'plan', 'limit': output_limit('accounts.csv', 'Plan'), 'header': 'Plan'},
    ] + attribute_limit_checks('product_account', 'account_text')) }}

    union all

    {{ too_long_issues('raw_crm_subscriptions', 'named_products', 'raw_subscription_id', [
        {'column': 'full_account_name', 'limit': output_limit('accounts.csv', 'Account Name'),
            'header': 'The Account Name of its product account'},
    ]) }}

    union all

    select
        {% call data_issue_row('raw_crm_subscriptions', 'raw_subscription_id', issue='rounded_value') -%}
            'contract_value ''' || contract_value_text || ''' has more than two decimals; it counts as '
            || cast(contract_value as {{ dbt.type_string() }}) || '.'
        {% endcall %}
    from used_lines
    where is_contract_value_rounded and contract_value is not null

    union all

    select
        {% call data_issue_row('raw_crm_subscriptions', 'raw_subscription_id', issue='mixed_currency') -%}
            'product account ' || product_account_id || ' has live lines in more than one currency, which cannot '
            || 'be summed; its Contract Value and Currency are left blank.'
        {% endcall %}
    from used_lines
    where has_mixed_currencies and is_live

    union all

    {{ control_character_issues('raw_crm_subscriptions', 'checked', 'raw_subscription_id') }}

    union all

    {{ normalization_issues('raw_crm_subscriptions', 'checked', 'raw_subscription_id') }}
)

select * from issues
