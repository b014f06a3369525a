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
    {{- output_select('users.csv', {
        'User ID': 'email',
        'Account ID': 'product_account_id',
        'Email': 'email',
        'First Name': 'first_name',
        'Last Name': 'last_name',
        'Role': 'role',
        'Title': 'title',
        'Key Contact': "case when is_key_contact then 'yes' else 'no' end",
        'Created Date': 'cast(created_at as date)',
        'Last Login': to_totango_timestamp('last_login_at'),
    }) }}
    {%- for attribute in attributes %},
    {{ within_limit(attribute.fields.user, 'user_text') }} as {{ quote_identifier(attribute.name) }}
    {%- endfor %}
from users
order by product_account_id, email
