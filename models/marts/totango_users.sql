-- sqlfluff:exclude_rules:references.keywords,references.special_chars,references.quoting,ambiguous.column_count,structure.column_order,layout.indent
-- (.sqlfluff's list, and layout.indent: the custom attribute columns come from Jinja loops it cannot follow.)
-- users.csv: one row per (user, product account), in Totango's columns, then the custom attributes (var
-- user_attributes). Text is cut to Totango's limit for user attributes (a data issue each time). The contract
-- is enforced when no custom attribute is configured (tests/assert_file_headers.sql checks the fixed columns).
{%- set attributes = file_attributes(['user']) %}
{{ config(contract={'enforced': attributes | length == 0}) }}

with

users as (
    select * from {{ ref('int_users_resolved') }}
)

select
    email as {{ quote_identifier('User ID') }},
    product_account_id as {{ quote_identifier('Account ID') }},
    email as {{ quote_identifier('Email') }},
    {{ within_limit('first_name', output_limit('users.csv', 'First Name')) }} as {{ quote_identifier('First Name') }},
    {{ within_limit('last_name', output_limit('users.csv', 'Last Name')) }} as {{ quote_identifier('Last Name') }},
    {{ within_limit('role', output_limit('users.csv', 'Role')) }} as {{ quote_identifier('Role') }},
    {{ within_limit('title', output_limit('users.csv', 'Title')) }} as {{ quote_identifier('Title') }},
    case when is_key_contact then 'yes' else 'no' end as {{ quote_identifier('Key Contact') }},
    cast(created_at as date) as {{ quote_identifier('Created Date') }},
    {{ to_totango_timestamp('last_login_at') }} as {{ quote_identifier('Last Login') }}
    {%- for attribute in attributes %},
    {{ within_limit(attribute.fields.user, 'user_text') }} as {{ quote_identifier(attribute.name) }}
    {%- endfor %}
from users
order by product_account_id, email
