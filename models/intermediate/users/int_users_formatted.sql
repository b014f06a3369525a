-- sqlfluff:exclude_rules:references.keywords,references.special_chars,references.quoting,ambiguous.column_count,structure.column_order,layout.indent
-- (.sqlfluff's list, and layout.indent: the custom attribute columns come from Jinja loops it cannot follow.)
-- The rows of users.csv, in no order: one row per (user, product account), in Totango's columns, then the custom
-- attributes (var user_attributes). Text is cut to Totango's limit for user attributes (a data issue each time).
-- A view: the mart totango_users stores these rows in the file's order, and writes them again only when they
-- differ from what it stores (macro forget_rows_if_output_changed).
{%- set attributes = file_attributes(['user']) %}
{{ config(materialized='view') }}

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
