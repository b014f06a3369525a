-- One row per usage event to send: the kept events with their Totango user and UTC time.
-- Incremental: a run adds the events newer than what the table holds (less var late_event_hours, for events
-- that arrive late), replacing any it already holds by event_id. `dbt build --full-refresh` rebuilds it from
-- the current exports alone.
{{
    config(
        materialized='incremental',
        unique_key='event_id',
        incremental_strategy='delete+insert',
    )
}}

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
    where
        rejection_code is null
    {% if is_incremental() %}
            -- An empty table (a first build with no events) takes everything.
            and occurred_at > coalesce(
                (select max(occurred_at) - to_hours({{ var('late_event_hours') }}) from {{ this }}),
                '-infinity'::timestamp
            )
    {% endif %}
)

select * from resolved
