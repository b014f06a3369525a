-- sqlfluff:exclude_rules:references.keywords,references.special_chars,references.quoting,ambiguous.column_count,structure.column_order,layout.indent
-- (.sqlfluff's list, and layout.indent: the custom attribute columns come from Jinja loops it cannot follow.)
-- One row per CRM account id: the version that won in int_accounts_checked.
with

checked as (
    select * from {{ ref('int_accounts_checked') }}
),

deduplicated as (
    select
        account_id,
        raw_account_id,
        source_row_number,
        -- A blank name is kept and filled with the id (recorded as a data issue), so the tree stays whole.
        coalesce(account_name, account_id) as account_name,
        account_name is null as is_name_missing,
        parent_account_id,
        industry,
        region,
        segment,
        csm_email_text,
        csm_email,
        created_at_text,
        created_date,
        updated_at_text,
        updated_at
        {{ attribute_columns('account', 'carried') }}
    from checked
    where rejection_code is null
)

select * from deduplicated
