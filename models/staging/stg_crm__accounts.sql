-- sqlfluff:exclude_rules:references.keywords,references.special_chars,references.quoting,ambiguous.column_count,structure.column_order,layout.indent
-- (.sqlfluff's list, and layout.indent: the custom attribute columns come from Jinja loops it cannot follow.)
{{ follow_seed('raw_crm_accounts') }}
with

source as (
    select * from {{ source('crm', 'raw_crm_accounts') }}
),

-- Each row numbered in file order, under the contract's column names (var raw_column_names maps the export's own
-- headers), with its custom attributes.
renamed as (
    select
        row_number() over () as source_row_number,
        {{ contract_columns_of('crm', 'raw_crm_accounts', ['account']) }}
    from source
),

cleaned as (
    select
        source_row_number,
        account_id as raw_account_id,
        {{ clean_text('account_id') }} as account_id,
        {{ clean_text('account_name') }} as account_name,
        {{ clean_text('parent_account_id') }} as parent_account_id,
        {{ clean_text('industry') }} as industry,
        {{ clean_text('region') }} as region,
        {{ clean_text('segment') }} as segment,
        lower({{ clean_text('csm_email') }}) as csm_email_text,
        {{ clean_text('created_at') }} as created_at_text,
        {{ clean_text('updated_at') }} as updated_at_text,
        {{ control_character_columns(['account_id', 'account_name', 'parent_account_id', 'industry', 'region',
            'segment', 'csm_email', 'created_at', 'updated_at'], 'account') }} as control_character_columns
        {{ attribute_columns('account', 'cleaned') }}
    from renamed
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
