{{ follow_seed('raw_app_events') }}
-- The raw values checked for unusual characters (macros is_plain_row, control_character_columns).
{%- set checked_columns = raw_checked_columns(['event_id', 'user_id', 'account_id', 'product', 'module',
    'action', 'occurred_at']) %}
-- The product key of an event's product is not computed here, for every one of millions of rows:
-- int_events_checked computes it once per distinct product name.
with

-- Each row numbered in file order, where the export is read (macro row_number_in_file_order).
source as (
    select
        {{ row_number_in_file_order() }} as source_row_number,
        *
    from {{ source('app', 'raw_app_events') }}
),

-- Under the contract's column names (var raw_column_names maps the export's own headers), with its custom
-- attributes.
renamed as (
    select
        source_row_number,
        {{ contract_columns_of('app', 'raw_app_events', [], with_source_file=true) }}
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
        source_file,
        event_id as raw_event_id,
        {{ clean_text('event_id', 'is_plain_row') }} as event_id,
        {{ clean_text('user_id', 'is_plain_row') }} as user_id,
        {{ clean_text('account_id', 'is_plain_row') }} as account_id,
        {{ clean_text('product', 'is_plain_row') }} as product_name,
        {{ clean_text('module', 'is_plain_row') }} as module,
        {{ clean_text('action', 'is_plain_row') }} as action,
        {{ clean_text('occurred_at', 'is_plain_row') }} as occurred_at_text,
        {{ control_character_columns(checked_columns) }} as control_character_columns
    from flagged
),

parsed as (
    select
        *,
        {{ parse_utc_timestamp('occurred_at_text') }} as occurred_at_parsed
    from cleaned
),

-- The range check on the parsed column: at millions of rows, parsing once is what counts (macro to_utc_timestamp).
typed as (
    select
        {{ star_except(['occurred_at_parsed']) }},
        {{ in_valid_date_range('occurred_at_parsed') }} as occurred_at
    from parsed
)

select * from typed
