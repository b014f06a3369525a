-- The record of data issues: one row per problem found in a raw row, whether the row was left out (dropped)
-- or went on repaired (kept). Each raw row is dropped for one reason at most, so for each raw export:
-- rows in = rows used + rows recorded here as dropped.
with

accounts_checked as (
    select * from {{ ref('int_accounts_checked') }}
),

crm_accounts as (
    select * from {{ ref('int_crm_accounts_rolled_up') }}
),

accounts_deduplicated as (
    select * from {{ ref('int_accounts_deduplicated') }}
),

subscriptions_checked as (
    select * from {{ ref('int_subscriptions_checked') }}
),

product_accounts as (
    select * from {{ ref('int_product_accounts_rolled_up') }}
),

users_checked as (
    select * from {{ ref('int_users_checked') }}
),

events_checked as (
    select * from {{ ref('int_events_checked') }}
),

-- Accounts ------------------------------------------------------------------------------------------------
sent_accounts as (
    select
        crm_accounts.*,
        accounts_deduplicated.raw_account_id,
        accounts_deduplicated.is_name_missing,
        accounts_deduplicated.created_at_text,
        accounts_deduplicated.updated_at_text,
        accounts_deduplicated.updated_at
    from crm_accounts
    inner join accounts_deduplicated
        on crm_accounts.account_id = accounts_deduplicated.account_id
    where crm_accounts.is_sent
),

account_issues as (
    select
        'raw_crm_accounts' as source,
        source_row_number,
        raw_account_id as source_key,
        rejection_code as issue,
        rejection_detail as detail,
        'dropped' as outcome
    from accounts_checked
    where rejection_code is not null

    union all

    select
        'raw_crm_accounts' as source,
        crm_accounts.source_row_number,
        accounts_deduplicated.raw_account_id as source_key,
        'no_product' as issue,
        'account ' || crm_accounts.account_id || ' has no product account below it, so it is not a '
        || 'Totango customer; set var send_all_accounts to send it anyway.' as detail,
        'dropped' as outcome
    from crm_accounts
    inner join accounts_deduplicated
        on crm_accounts.account_id = accounts_deduplicated.account_id
    where not crm_accounts.is_sent

    union all

    select
        'raw_crm_accounts' as source,
        source_row_number,
        raw_account_id as source_key,
        repair_code as issue,
        case repair_code
            when 'missing_parent'
                then
                    'parent_account_id ' || crm_parent_account_id
                    || ' is not in raw_crm_accounts; the account was put at the top of its own tree.'
            else
                'parent_account_id ' || crm_parent_account_id
                || ' leads back to this account (a cycle); the link was cleared and the account put at the top.'
        end as detail,
        'kept' as outcome
    from sent_accounts
    where repair_code is not null

    union all

    select
        'raw_crm_accounts' as source,
        source_row_number,
        raw_account_id as source_key,
        'missing_value' as issue,
        'The account_name is blank; the account id is used as its name.' as detail,
        'kept' as outcome
    from sent_accounts
    where is_name_missing

    union all

    select
        'raw_crm_accounts' as source,
        source_row_number,
        raw_account_id as source_key,
        'invalid_value' as issue,
        'created_at ''' || created_at_text || ''' is not a YYYY-MM-DD date; Created Date is left blank.' as detail,
        'kept' as outcome
    from sent_accounts
    where created_at_text is not null and created_date is null

    union all

    select
        'raw_crm_accounts' as source,
        source_row_number,
        raw_account_id as source_key,
        'invalid_value' as issue,
        'updated_at ''' || updated_at_text || ''' is not an ISO 8601 timestamp; it counted as oldest among '
        || 'duplicates.' as detail,
        'kept' as outcome
    from sent_accounts
    where updated_at_text is not null and updated_at is null
),

-- Subscriptions -------------------------------------------------------------------------------------------
used_subscriptions as (
    select
        subscriptions_checked.*,
        product_accounts.product_account_id,
        product_accounts.has_mixed_currencies
    from subscriptions_checked
    inner join product_accounts
        on
            subscriptions_checked.account_id = product_accounts.account_id
            and subscriptions_checked.product_key = product_accounts.product_key
    where subscriptions_checked.rejection_code is null
),

unreadable_subscription_values as (
    select
        source_row_number,
        raw_subscription_id,
        'seats' as column_name,
        seats_text as raw_value,
        'Seats' as header
    from used_subscriptions
    where seats_text is not null and seats is null
    union all
    select
        source_row_number,
        raw_subscription_id,
        'contract_value' as column_name,
        contract_value_text as raw_value,
        'Contract Value' as header
    from used_subscriptions
    where contract_value_text is not null and contract_value is null
    union all
    select
        source_row_number,
        raw_subscription_id,
        'start_date' as column_name,
        start_date_text as raw_value,
        'Contract Start Date' as header
    from used_subscriptions
    where start_date_text is not null and start_date is null
    union all
    select
        source_row_number,
        raw_subscription_id,
        'renewal_date' as column_name,
        renewal_date_text as raw_value,
        'Contract Renewal Date' as header
    from used_subscriptions
    where renewal_date_text is not null and renewal_date is null
),

subscription_issues as (
    select
        'raw_crm_subscriptions' as source,
        source_row_number,
        raw_subscription_id as source_key,
        rejection_code as issue,
        rejection_detail as detail,
        'dropped' as outcome
    from subscriptions_checked
    where rejection_code is not null

    union all

    select
        'raw_crm_subscriptions' as source,
        source_row_number,
        raw_subscription_id as source_key,
        'invalid_value' as issue,
        column_name || ' ''' || raw_value || ''' cannot be read; the line counts as having no ' || column_name
        || ' in the roll-up (' || header || ').' as detail,
        'kept' as outcome
    from unreadable_subscription_values

    union all

    select
        'raw_crm_subscriptions' as source,
        source_row_number,
        raw_subscription_id as source_key,
        'mixed_currency' as issue,
        'product account ' || product_account_id || ' has live lines in more than one currency, which cannot '
        || 'be summed; its Contract Value and Currency are left blank.' as detail,
        'kept' as outcome
    from used_subscriptions
    where has_mixed_currencies and status in ('active', 'trial')
),

-- Users ---------------------------------------------------------------------------------------------------
kept_users as (
    select * from users_checked
    where rejection_code is null
),

user_issues as (
    select
        'raw_app_users' as source,
        source_row_number,
        raw_user_id as source_key,
        rejection_code as issue,
        rejection_detail as detail,
        'dropped' as outcome
    from users_checked
    where rejection_code is not null

    union all

    select
        'raw_app_users' as source,
        source_row_number,
        raw_user_id as source_key,
        'invalid_value' as issue,
        'is_key_contact ''' || is_key_contact_text || ''' is not true/false, yes/no or 1/0; Key Contact is '
        || 'sent as no.' as detail,
        'kept' as outcome
    from kept_users
    where is_key_contact_text is not null and is_key_contact is null

    union all

    select
        'raw_app_users' as source,
        source_row_number,
        raw_user_id as source_key,
        'invalid_value' as issue,
        'created_at ''' || created_at_text || ''' is not an ISO 8601 timestamp; Created Date is left blank.'
            as detail,
        'kept' as outcome
    from kept_users
    where created_at_text is not null and created_at is null

    union all

    select
        'raw_app_users' as source,
        source_row_number,
        raw_user_id as source_key,
        'invalid_value' as issue,
        'last_login_at ''' || last_login_at_text || ''' is not an ISO 8601 timestamp; Last Login is left blank.'
            as detail,
        'kept' as outcome
    from kept_users
    where last_login_at_text is not null and last_login_at is null
),

-- Events ------------------------------------------------------------------------------------------------
event_issues as (
    select
        'raw_app_events' as source,
        source_row_number,
        coalesce(raw_event_id, event_id) as source_key,
        rejection_code as issue,
        rejection_detail as detail,
        'dropped' as outcome
    from events_checked
    where rejection_code is not null

    union all

    select
        'raw_app_events' as source,
        source_row_number,
        coalesce(raw_event_id, event_id) as source_key,
        'user_account_mismatch' as issue,
        user_account_mismatch_detail as detail,
        'kept' as outcome
    from events_checked
    where user_account_mismatch_detail is not null
),

all_issues as (
    select * from account_issues
    union all
    select * from subscription_issues
    union all
    select * from user_issues
    union all
    select * from event_issues
)

select * from all_issues
