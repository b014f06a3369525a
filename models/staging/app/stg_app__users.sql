-- sqlfluff:exclude_rules:references.keywords,references.special_chars,references.quoting,ambiguous.column_count,structure.column_order,layout.indent
-- (.sqlfluff's list, and layout.indent: the custom attribute columns come from Jinja loops it cannot follow.)
{{ follow_seed('raw_app_users') }}
-- The raw values checked for unusual characters (macros is_plain_row, control_character_columns).
{%- set checked_columns = raw_checked_columns(contract_column_names('app', 'raw_app_users'), 'user') %}
with

{{ raw_export_ctes('app', 'raw_app_users', 'user', checked_columns) }},

cleaned as (
    select
        -- Clean text (macro cleaned_columns); emails are compared trimmed and in lower case (contract).
        {{ cleaned_columns('app', 'raw_app_users', 'user', checked_columns, 'user_id',
            ids=['user_id', 'email', 'account_id', 'product'], aliases={'product': 'product_name',
            'is_key_contact': 'is_key_contact_text', 'created_at': 'created_at_text',
            'last_login_at': 'last_login_at_text'}, lowered=['email']) }}
    from flagged
),

typed as (
    select
        *,
        {{ product_key('product_name') }} as product_key,
        {{ to_boolean('is_key_contact_text') }} as is_key_contact,
        {{ to_utc_timestamp('created_at_text') }} as created_at,
        {{ to_utc_timestamp('last_login_at_text') }} as last_login_at
        {{ attribute_columns('user', 'typed') }}
    from cleaned
)

select * from typed
