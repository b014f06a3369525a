with

source as (
    select * from {{ raw_export('raw_app_users') }}
),

renamed as (
    select
        source_row_number,
        user_id as raw_user_id,
        {{ clean_text('user_id') }} as user_id,
        -- Emails are compared trimmed and in lower case (contract).
        lower({{ clean_text('email') }}) as email,
        {{ clean_text('account_id') }} as account_id,
        {{ clean_text('product') }} as product_name,
        {{ product_key('product') }} as product_key,
        {{ clean_text('first_name') }} as first_name,
        {{ clean_text('last_name') }} as last_name,
        {{ clean_text('role') }} as role,
        {{ clean_text('title') }} as title,
        {{ clean_text('is_key_contact') }} as is_key_contact_text,
        {{ to_boolean('is_key_contact') }} as is_key_contact,
        {{ clean_text('created_at') }} as created_at_text,
        {{ to_utc_timestamp('created_at') }} as created_at,
        {{ clean_text('last_login_at') }} as last_login_at_text,
        {{ to_utc_timestamp('last_login_at') }} as last_login_at
    from source
)

select * from renamed
