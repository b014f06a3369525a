-- The data issues of raw_crm_accounts: rows left out (a rejection, or a prospect with no product below it),
-- and rows sent repaired (a parent cleared, a blank name, an unreadable value, a value cut to Totango's limit,
-- control characters removed, ids read in Unicode's composed form).
with

checked as {{ read_where_used() }} (
    select * from {{ ref('int_accounts_checked') }}
),

deduplicated as {{ read_where_used() }} (
    select * from {{ ref('int_accounts_deduplicated') }}
),

rolled_up as {{ read_where_used() }} (
    select * from {{ ref('int_crm_accounts_rolled_up') }}
),

accounts as (
    select
        deduplicated.*,
        rolled_up.is_sent,
        rolled_up.repair_code,
        rolled_up.crm_parent_account_id
    from deduplicated
    inner join rolled_up
        on deduplicated.account_id = rolled_up.account_id
),

sent_accounts as (
    select * from accounts
    where is_sent
),

issues as (
    {{ rejection_issues('raw_crm_accounts', 'checked', 'raw_account_id') }}

    union all

    select
        {% call data_issue_row('raw_crm_accounts', 'raw_account_id', issue='no_product', outcome='dropped') -%}
            'account ' || account_id || ' has no product account below it, so it is not a Totango customer; set var '
            || 'send_all_accounts to send it anyway.'
        {% endcall %}
    from accounts
    where not is_sent

    union all

    select
        {% call data_issue_row('raw_crm_accounts', 'raw_account_id', issue_column='repair_code') -%}
            case repair_code
                when 'missing_parent'
                    then
                        'parent_account_id ' || left(crm_parent_account_id, 100)
                        || ' is not in raw_crm_accounts; the account was put at the top of its own tree.'
                else
                    'parent_account_id ' || crm_parent_account_id
                    || ' leads back to this account (a cycle); the link was cleared and the account put at the top.'
            end
        {% endcall %}
    from sent_accounts
    where repair_code is not null

    union all

    select
        {% call data_issue_row('raw_crm_accounts', 'raw_account_id', issue='missing_value') -%}
            'The account_name is blank; the account id is used as its name.'
        {% endcall %}
    from sent_accounts
    where is_name_missing

    union all

    {{ unreadable_value_issues('raw_crm_accounts', 'sent_accounts', 'raw_account_id', [
        {'raw': 'created_at_text', 'typed': 'created_date', 'name': 'created_at',
         'expected': 'a YYYY-MM-DD date between ' ~ var('earliest_valid_date') ~ ' and ' ~ var('latest_valid_date'),
         'consequence': 'Created Date is left blank'},
        {'raw': 'updated_at_text', 'typed': 'updated_at', 'name': 'updated_at',
         'expected': 'an ISO 8601 timestamp between ' ~ var('earliest_valid_date') ~ ' and '
            ~ var('latest_valid_date'),
         'consequence': 'it counted as oldest among duplicates'},
        {'raw': 'csm_email_text', 'typed': 'csm_email', 'name': 'csm_email',
         'expected': 'an email address', 'consequence': 'CSM is left blank'},
    ] + attribute_value_checks('account')) }}

    union all

    {{ too_long_issues('raw_crm_accounts', 'sent_accounts', 'raw_account_id', [
        {'column': 'account_name', 'limit': output_limit('accounts.csv', 'Account Name'), 'header': 'Account Name'},
        {'column': 'industry', 'limit': output_limit('accounts.csv', 'Industry'), 'header': 'Industry'},
        {'column': 'region', 'limit': output_limit('accounts.csv', 'Region'), 'header': 'Region'},
        {'column': 'segment', 'limit': output_limit('accounts.csv', 'Segment'), 'header': 'Segment'},
    ] + attribute_limit_checks('account', 'account_text')) }}

    union all

    {{ control_character_issues('raw_crm_accounts', 'checked', 'raw_account_id') }}

    union all

    {{ normalization_issues('raw_crm_accounts', 'checked', 'raw_account_id') }}
)

select * from issues
