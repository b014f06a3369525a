{{ follow_seed('raw_crm_accounts') }}
with

source as (
    select
        row_number() over () as source_row_number,
        *
    from {{ source('crm', 'raw_crm_accounts') }}
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
            'segment', 'csm_email', 'created_at', 'updated_at']) }} as control_character_columns
    from source
),

typed as (
    select
        *,
        case when {{ is_valid_email('csm_email_text') }} then csm_email_text end as csm_email,
        {{ to_date('created_at_text') }} as created_date,
        {{ to_utc_timestamp('updated_at_text') }} as updated_at
    from cleaned
)

select * from typed
