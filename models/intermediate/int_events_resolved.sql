-- One row per usage event to send: the kept events with their Totango user and UTC time.
with

checked as (
    select * from {{ ref('int_events_checked') }}
),

resolved as (
    select
        event_id,
        email,
        product_account_id,
        module,
        action,
        occurred_at,
        source_row_number
    from checked
    where rejection_code is null
)

select * from resolved
