-- sqlfluff:exclude_rules:references.keywords,references.special_chars,references.quoting,ambiguous.column_count,structure.column_order,layout.indent
-- (.sqlfluff's list, and layout.indent: the custom attribute columns come from Jinja loops it cannot follow.)
-- One row per Totango user: a (lower-cased email, product account) pair, with the attributes of the kept row.
-- A view: the kept rows of int_users_checked, a filter and a choice of columns that a query of it does as fast as a
-- read of a stored copy. Stored, it was a copy of every user written again each build (5.9 s at 5M users,
-- docs/benchmark.md), where int_users_checked rewrites only the users that changed.
{{ config(materialized='view') }}
with

checked as (
    select * from {{ ref('int_users_checked') }}
),

resolved as (
    select
        email,
        product_account_id,
        user_id,
        first_name,
        last_name,
        role,
        title,
        coalesce(is_key_contact, false) as is_key_contact,
        created_at,
        last_login_at,
        source_row_number
        {{ attribute_columns('user', 'carried') }}
    from checked
    where rejection_code is null
)

select * from resolved
