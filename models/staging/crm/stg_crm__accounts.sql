-- sqlfluff:exclude_rules:references.keywords,references.special_chars,references.quoting,ambiguous.column_count,structure.column_order,layout.indent
-- (.sqlfluff's list, and layout.indent: the custom attribute columns come from Jinja loops it cannot follow.)
{{ follow_seed('raw_crm_accounts') }}
-- The raw values checked for unusual characters (macros is_plain_row, control_character_columns).
{%- set checked_columns = raw_checked_columns(['account_id', 'account_name', 'parent_account_id', 'industry',
    'region', 'segment', 'csm_email', 'created_at', 'updated_at'], 'account') %}
with

-- Each row numbered in file order, where the export is read (macro row_number_in_file_order).
source as (
    select
        {{ row_number_in_file_order() }} as source_row_number,
        *
    from {{ source('crm', 'raw_crm_accounts') }}
),

-- Under the contract's column names (var raw_column_names maps the export's own headers), with its custom
-- attributes.
renamed as (
    select
        source_row_number,
        {{ contract_columns_of('crm', 'raw_crm_accounts', ['account']) }}
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
        account_id as raw_account_id,
        {{ clean_text('account_id', 'is_plain_row') }} as account_id,
        {{ clean_text('account_name', 'is_plain_row') }} as account_name,
        {{ clean_text('parent_account_id', 'is_plain_row') }} as parent_account_id,
        {{ clean_text('industry', 'is_plain_row') }} as industry,
        {{ clean_text('region', 'is_plain_row') }} as region,
        {{ clean_text('segment', 'is_plain_row') }} as segment,
        lower({{ clean_text('csm_email', 'is_plain_row') }}) as csm_email_text,
        {{ clean_text('created_at', 'is_plain_row') }} as created_at_text,
        {{ clean_text('updated_at', 'is_plain_row') }} as updated_at_text,
        {{ control_character_columns(checked_columns) }} as control_character_columns,
        -- The ids whose reading in NFC changed them (a data issue: two forms of one id are one id).
        {{ normalized_columns(['account_id', 'parent_account_id']) }} as normalized_columns
        {{ attribute_columns('account', 'cleaned') }}
    from flagged
),

typed as (
    select
        *,
        case when {{ is_valid_email('csm_email_text') }} then csm_email_text end as csm_email,
        {{ to_date('created_at_text') }} as created_date,
        {{ to_utc_timestamp('updated_at_text') }} as updated_at
        {{ attribute_columns('account', 'typed') }}
    from cleaned
)

select * from typed
