-- The exported tree has no cycle: walking up from any account through "Parent ID" never comes back to it.
-- The walk stops at an account it has visited, so it ends even when the test is about to fail.
with recursive

accounts as (
    select
        "Account ID" as account_id,
        "Parent ID" as parent_id
    from {{ ref('totango_accounts') }}
),

walk as (
    select
        account_id,
        parent_id as ancestor_id,
        [account_id] as visited_ids
    from accounts
    where parent_id is not null

    union all

    select
        walk.account_id,
        accounts.parent_id as ancestor_id,
        list_append(walk.visited_ids, walk.ancestor_id) as visited_ids
    from walk
    inner join accounts
        on walk.ancestor_id = accounts.account_id
    where
        accounts.parent_id is not null
        and not list_contains(walk.visited_ids, walk.ancestor_id)
)

select distinct account_id
from walk
where ancestor_id = account_id
