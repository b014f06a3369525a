{{ follow_seed('raw_app_users') }}
with

source as (
    select
        row_number() over () as source_row_number,
        *
    from {{ source('app', 'raw_app_users') }}
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
            'title', 'is_key_contact', 'created_at', 'last_login_at']) }} as control_character_columns
    from source
),

typed as (
    select
        *,
        {{ product_key('product_name') }} as product_key,
        {{ to_boolean('is_key_contact_text') }} as is_key_contact,
        {{ to_utc_timestamp('created_at_text') }} as created_at,
        {{ to_utc_timestamp('last_login_at_text') }} as last_login_at
    from cleaned
)

select * from typed
