-- sqlfluff:exclude_rules:references.keywords,references.special_chars,references.quoting,ambiguous.column_count,structure.column_order,layout.indent
-- (.sqlfluff's list, and layout.indent: the custom attribute columns come from Jinja loops it cannot follow.)
-- The CRM account tree, repaired: a parent that names no account is cleared (the account goes to the top of
-- its own tree), and the parent links of accounts that sit in a cycle are cleared. Each account gets its
-- depth (0 at the top), its top ancestor and its path from the top (a list of ids, itself last).
with recursive

accounts as (
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

-- Once repaired the links form a forest, so walking down from the tops reaches every account once.
tree as (
    select
        account_id,
        parent_account_id,
        0 as depth,
        account_id as top_account_id,
        {{ dbt.array_construct(['account_id']) }} as path_ids
    from repaired
    where parent_account_id is null

    union all

    select
        child.account_id,
        child.parent_account_id,
        tree.depth + 1 as depth,
        tree.top_account_id,
        {{ dbt.array_append('tree.path_ids', 'child.account_id') }} as path_ids
    from repaired as child
    inner join tree
        on child.parent_account_id = tree.account_id
),

final as (
    select
        accounts.account_id,
        accounts.account_name,
        tree.parent_account_id,
        repaired.crm_parent_account_id,
        repaired.repair_code,
        tree.depth,
        tree.top_account_id,
        tree.path_ids,
        accounts.industry,
        accounts.region,
        accounts.segment,
        accounts.csm_email,
        accounts.created_date,
        accounts.source_row_number
        {{ attribute_columns('account', 'carried', 'accounts') }}
    from accounts
    inner join tree
        on accounts.account_id = tree.account_id
    inner join repaired
        on accounts.account_id = repaired.account_id
)

select * from final
