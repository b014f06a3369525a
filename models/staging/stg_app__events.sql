with

source as (
    select * from {{ raw_export('raw_app_events') }}
),

renamed as (
    select
        source_row_number,
        source_file,
        event_id as raw_event_id,
        {{ clean_text('event_id') }} as event_id,
        {{ clean_text('user_id') }} as user_id,
        {{ clean_text('account_id') }} as account_id,
        {{ clean_text('product') }} as product_name,
        {{ product_key('product') }} as product_key,
        {{ clean_text('module') }} as module,
        {{ clean_text('action') }} as action,
        {{ clean_text('occurred_at') }} as occurred_at_text,
        {{ to_utc_timestamp('occurred_at') }} as occurred_at
    from source
)

select * from renamed
