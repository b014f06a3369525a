-- users.csv: one row per (user, product account), in Totango's columns.
with

users as (
    select * from {{ ref('int_users_resolved') }}
)

select
    email as "User ID",
    product_account_id as "Account ID",
    email as "Email",
    first_name as "First Name",
    last_name as "Last Name",
    role as "Role",
    title as "Title",
    case when is_key_contact then 'yes' else 'no' end as "Key Contact",
    cast(created_at as date) as "Created Date",
    {{ to_totango_timestamp('last_login_at') }} as "Last Login"
from users
order by product_account_id, email
