-- sqlfluff:exclude_rules:references.keywords,references.special_chars,references.quoting,ambiguous.column_count,structure.column_order,layout.indent
-- (.sqlfluff's list, and layout.indent: the custom attribute columns come from Jinja loops it cannot follow.)
{{ follow_seed('raw_app_users') }}
with

source as (
    select * from {{ source('app', 'raw_app_users') }}
),

-- Each row numbered in file order, under the contract's column names (var raw_column_names maps the export's own
-- headers), with its custom attributes.
renamed as (
    select
        row_number() over () as source_row_number,
        {{ contract_columns_of('app', 'raw_app_users', ['user']) }}
    from source
),

cleaned as (
    select
        source_row_number,
        user_id as raw_user_id,
        {{ clean_text('user_id') }} as user_id,
        -- Emails are compared trimmed and in lower case (contract).
        lower({{ clean_text('email') }}) as email,
        {{ clean_text('account_id') }} as account_id,
        {{ clean_text('product') }} as product_name,
        {{ clean_text('first_name') }} as first_name,
        {{ clean_text('last_name') }} as last_name,
        {{ clean_text('role') }} as role,
        {{ clean_text('title') }} as title,
        {{ clean_text('is_key_contact') }} as is_key_contact_text,
        {{ clean_text('created_at') }} as created_at_text,
        {{ clean_text('last_login_at') }} as last_login_at_text,
        {{ control_character_columns(['user_id', 'email', 'account_id', 'product', 'first_name', 'last_name', 'role',
            'title', 'is_key_contact', 'created_at', 'last_login_at'], 'user') }} as control_character_columns
        {{ attribute_columns('user', 'cleaned') }}
    from renamed
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
