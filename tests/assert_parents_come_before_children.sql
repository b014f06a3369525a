-- In the accounts mart, as stored and exported, every parent comes before its children.
-- rowid is the row's position in the table, which the mart stores in tree order.
with

accounts as (
    select
        rowid as position,
        "Account ID" as account_id,
        "Parent ID" as parent_id
    from {{ ref('totango_accounts') }}
)

select children.account_id
from accounts as children
inner join accounts as parents
    on children.parent_id = parents.account_id
where parents.position > children.position
