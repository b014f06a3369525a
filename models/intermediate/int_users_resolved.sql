-- One row per Totango user: a (lower-cased email, product account) pair, with the attributes of the kept row.
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
    from checked
    where rejection_code is null
)

select * from resolved
