with

source as (
    select * from {{ raw_export('raw_crm_accounts') }}
),

renamed as (
    select
        source_row_number,
        account_id as raw_account_id,
        {{ clean_text('account_id') }} as account_id,
        {{ clean_text('account_name') }} as account_name,
        {{ clean_text('parent_account_id') }} as parent_account_id,
        {{ clean_text('industry') }} as industry,
        {{ clean_text('region') }} as region,
        {{ clean_text('segment') }} as segment,
        lower({{ clean_text('csm_email') }}) as csm_email,
        {{ clean_text('created_at') }} as created_at_text,
        {{ to_date('created_at') }} as created_date,
        {{ clean_text('updated_at') }} as updated_at_text,
        {{ to_utc_timestamp('updated_at') }} as updated_at
    from source
)

select * from renamed
