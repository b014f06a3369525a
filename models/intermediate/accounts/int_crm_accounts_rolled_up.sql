-- Each CRM account of the tree with the status rolled up from every product account below it (at any depth):
-- active if any is active, else trial if any is, else churned. is_sent says whether it goes to Totango: it
-- has a product account below it (or var send_all_accounts is true).
with

tree as {{ read_where_used() }} (
    select * from {{ ref('int_account_tree') }}
),

product_accounts as {{ read_where_used() }} (
    select * from {{ ref('int_product_accounts_rolled_up') }}
),

-- Each product account's status, once for every CRM account on the path down to its owner.
statuses_by_ancestor as (
    select
        {{ unnest_list('tree.path_ids') }} as account_id,
        product_accounts.status
    from product_accounts
    inner join tree
        on product_accounts.account_id = tree.account_id
),

rolled_up as (
    select
        account_id,
        {{ rolled_up_status('status') }} as status
    from statuses_by_ancestor
    group by account_id
),

final as (
    select
        tree.*,
        coalesce(rolled_up.status, 'churned') as status,
        rolled_up.account_id is not null as has_product_below,
        rolled_up.account_id is not null or {{ var('send_all_accounts') }} as is_sent
    from tree
    left join rolled_up
        on tree.account_id = rolled_up.account_id
)

select * from final
