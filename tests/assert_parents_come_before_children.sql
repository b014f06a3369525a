-- In the accounts mart, as stored and exported, every parent comes strictly before its children.
-- The fault it catches: a child written before its parent, which Totango cannot attach. Being strict (a parent
-- never at or after its child) it also rules out any cycle in the tree, an account its own ancestor: in a cycle
-- some account would have to come before its own parent. stored_position is the row's position in the stored table.
with

accounts as (
    select
        {{ stored_position() }} as position,
        {{ quote_identifier('Account ID') }} as account_id,
        {{ quote_identifier('Parent ID') }} as parent_id
    from {{ ref('totango_accounts') }}
)

select children.account_id
from accounts as children
inner join accounts as parents
    on children.parent_id = parents.account_id
where parents.position >= children.position
