-- sqlfluff:exclude_rules:references.keywords,references.special_chars,references.quoting,ambiguous.column_count,structure.column_order,layout.indent
-- (.sqlfluff's list, and layout.indent: the custom attribute columns come from Jinja loops it cannot follow.)
-- The CRM account tree, repaired: a parent that names no account is cleared (the account goes to the top of
-- its own tree), and the parent links of accounts that sit in a cycle are cleared. Each account gets its
-- depth (0 at the top), its top ancestor and its path from the top (a list of ids, itself last).
-- One walk up from every account gives all of it: the repaired tree needs no second walk down, which on Spark
-- would run the first walk again at each of its steps.
with recursive

accounts as {{ read_where_used() }} (
    select * from {{ ref('int_accounts_deduplicated') }}
),

linked as (
    select
        child.account_id,
        child.parent_account_id as crm_parent_account_id,
        parent.account_id as known_parent_account_id
    from accounts as child
    left join accounts as parent
        on child.parent_account_id = parent.account_id
),

-- Walk up from every account. The walk stops at the top or at an account it has already visited, so it
-- ends even where parents loop. An account whose walk comes back to itself sits in a cycle.
ancestry as (
    select
        account_id,
        known_parent_account_id as ancestor_id,
        {{ dbt.array_construct(['account_id']) }} as visited_ids
    from linked
    where known_parent_account_id is not null

    union all

    select
        ancestry.account_id,
        linked.known_parent_account_id as ancestor_id,
        {{ dbt.array_append('ancestry.visited_ids', 'ancestry.ancestor_id') }} as visited_ids
    from ancestry
    inner join linked
        on ancestry.ancestor_id = linked.account_id
    where
        linked.known_parent_account_id is not null
        and not array_contains(ancestry.visited_ids, ancestry.ancestor_id)
),

cycle_members as (
    select distinct account_id
    from ancestry
    where ancestor_id = account_id
),

repaired as (
    select
        linked.account_id,
        linked.crm_parent_account_id,
        case
            when cycle_members.account_id is null then linked.known_parent_account_id
        end as parent_account_id,
        case
            when linked.crm_parent_account_id is not null and linked.known_parent_account_id is null
                then 'missing_parent'
            when cycle_members.account_id is not null then 'parent_cycle'
        end as repair_code
    from linked
    left join cycle_members
        on linked.account_id = cycle_members.account_id
),

-- The steps up from each account that keeps its parent (one in a cycle loses it: it is a top), numbered from 1
-- (the parent), each marked where it reaches an account in a cycle.
steps as (
    select
        ancestry.account_id,
        ancestry.ancestor_id,
        ancestry.visited_ids,
        {{ list_size('ancestry.visited_ids') }} as step,
        reached.account_id is not null as reaches_cycle
    from ancestry
    left join cycle_members as walker
        on ancestry.account_id = walker.account_id
    left join cycle_members as reached
        on ancestry.ancestor_id = reached.account_id
    where walker.account_id is null
),

-- In the repaired tree the walk ends at the first account in a cycle it reaches (which lost its parent), else
-- at the top it reaches.
last_steps as (
    select
        account_id,
        coalesce(min(step) filter (where reaches_cycle), max(step)) as step
    from steps
    group by account_id
),

walks as (
    select
        steps.account_id,
        steps.step as depth,
        steps.ancestor_id as top_account_id,
        {{ list_reversed(dbt.array_append('steps.visited_ids', 'steps.ancestor_id')) }} as path_ids
    from steps
    inner join last_steps
        on steps.account_id = last_steps.account_id and steps.step = last_steps.step
),

final as (
    select
        accounts.account_id,
        accounts.account_name,
        repaired.parent_account_id,
        repaired.crm_parent_account_id,
        repaired.repair_code,
        -- An account with no walk is a top.
        coalesce(walks.depth, 0) as depth,
        coalesce(walks.top_account_id, accounts.account_id) as top_account_id,
        coalesce(walks.path_ids, {{ dbt.array_construct(['accounts.account_id']) }}) as path_ids,
        accounts.industry,
        accounts.region,
        accounts.segment,
        accounts.csm_email,
        accounts.created_date,
        accounts.source_row_number
        {{ attribute_columns('account', 'carried', 'accounts') }}
    from accounts
    inner join repaired
        on accounts.account_id = repaired.account_id
    left join walks
        on accounts.account_id = walks.account_id
)

select * from final
