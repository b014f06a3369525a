-- Every staged CRM account row, with the reason it is left out, if it is. An account id that appears more
-- than once is used as its row updated latest (a tie, or no update time: the first in the file) that can be
-- used. An id Totango would refuse, or one that is also the id of a product account this project builds
-- (ACC-120__analytics when ACC-120 sells Analytics), is left out here, before it can break the accounts file.
with

accounts as (
    select * from {{ ref('stg_crm__accounts') }}
),

subscriptions as (
    select * from {{ ref('stg_crm__subscriptions') }}
),

-- Every product account id a subscription line of a listed account could give. A line that can never be used
-- whatever the accounts say (a blank product, a status that is not one of var subscription_statuses) gives
-- none, so it cannot make an account an id_conflict. (Whether the line's account is kept is decided only after
-- this model: a line of a listed account counts.)
product_account_ids as (
    select distinct {{ product_account_id('account_id', 'product_key') }} as product_account_id
    from subscriptions
    where
        product_key is not null
        and status in {{ nfc_sql_list(var('subscription_statuses') | map('trim') | map('lower') | list) }}
        and account_id in (select accounts.account_id from accounts)
),

-- What makes the row unusable. Both depend on the id alone, so every row of an id shares them: such an id has
-- no row to use, and each of its rows keeps this issue (none is a duplicate of a row that was itself dropped).
row_issues as (
    select
        *,
        case
            when not {{ is_totango_id('account_id') }} then 'invalid_id'
            when account_id in (select ids.product_account_id from product_account_ids as ids) then 'id_conflict'
        end as row_issue
    from accounts
),

ranked as (
    select
        *,
        {{ first_usable_row('account_id', 'row_issue', 'updated_at desc nulls last, source_row_number asc') }}
            as kept_row_number
    from row_issues
),

checked as (
    select
        *,
        {{ first_usable_code('account_id', 'row_issue', 'kept_row_number') }} as rejection_code
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
