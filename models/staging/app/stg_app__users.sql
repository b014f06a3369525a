-- sqlfluff:exclude_rules:references.keywords,references.special_chars,references.quoting,ambiguous.column_count,structure.column_order,layout.indent
-- (.sqlfluff's list, and layout.indent: the custom attribute columns come from Jinja loops it cannot follow.)
{{ follow_seed('raw_app_users') }}
-- The raw values checked for unusual characters (macros is_plain_row, control_character_columns).
{%- set checked_columns = raw_checked_columns(['user_id', 'email', 'account_id', 'product', 'first_name',
    'last_name', 'role', 'title', 'is_key_contact', 'created_at', 'last_login_at'], 'user') %}
with

-- Each row numbered in file order, where the export is read (macro row_number_in_file_order).
source as (
    select
        {{ row_number_in_file_order() }} as source_row_number,
        *
    from {{ source('app', 'raw_app_users') }}
),

-- Under the contract's column names (var raw_column_names maps the export's own headers), with its custom
-- attributes.
renamed as (
    select
        source_row_number,
        {{ contract_columns_of('app', 'raw_app_users', ['user']) }}
    from source
),

-- Whether the row holds anything but ordinary characters, tested once for all its values (macro clean_text).
flagged as (
    select
        *,
        {{ is_plain_row(checked_columns | map(attribute=0)) }} as is_plain_row
    from renamed
),

cleaned as (
    select
        source_row_number,
        user_id as raw_user_id,
        {{ clean_text('user_id', 'is_plain_row') }} as user_id,
        -- Emails are compared trimmed and in lower case (contract).
        lower({{ clean_text('email', 'is_plain_row') }}) as email,
        {{ clean_text('account_id', 'is_plain_row') }} as account_id,
        {{ clean_text('product', 'is_plain_row') }} as product_name,
        {{ clean_text('first_name', 'is_plain_row') }} as first_name,
        {{ clean_text('last_name', 'is_plain_row') }} as last_name,
        {{ clean_text('role', 'is_plain_row') }} as role,
        {{ clean_text('title', 'is_plain_row') }} as title,
        {{ clean_text('is_key_contact', 'is_plain_row') }} as is_key_contact_text,
        {{ clean_text('created_at', 'is_plain_row') }} as created_at_text,
        {{ clean_text('last_login_at', 'is_plain_row') }} as last_login_at_text,
        {{ control_character_columns(checked_columns) }} as control_character_columns,
        -- The ids whose reading in NFC changed them (a data issue: two forms of one id are one id).
        {{ normalized_columns(['user_id', 'email', 'account_id', 'product']) }} as normalized_columns
        {{ attribute_columns('user', 'cleaned') }}
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
