-- Every level of the account tree has an Account Type of its own, as Totango needs (one type per level): no type on
-- two depths, no depth with two types. The fault it catches: deep trees whose lower levels all took one name.
with

types as (
    select
        accounts.{{ quote_identifier('Account Type') }} as account_type,
        tree.depth
    from {{ ref('totango_accounts') }} as accounts
    inner join {{ ref('int_account_tree') }} as tree
        on accounts.{{ quote_identifier('Account ID') }} = tree.account_id
)

select account_type as problem
from types
group by account_type
having count(distinct depth) > 1

union all

select cast(depth as {{ dbt.type_string() }}) as problem
from types
group by depth
having count(distinct account_type) > 1
