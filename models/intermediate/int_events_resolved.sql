-- One row per usage event to send: the kept events with their Totango user and UTC time.
-- Incremental, for event logs that grow: a run first drops the events the current exports no longer keep (so
-- the table never holds more than a full build would, e.g. after switching to other exports), then adds the
-- events newer than the latest it holds, less var late_event_hours, replacing any it holds by event_id.
-- Events that arrive later than that are picked up by `dbt build --full-refresh`.
{{
    config(
        materialized='incremental',
        unique_key='event_id',
        incremental_strategy='delete+insert',
        pre_hook="{% if is_incremental() %}
            delete from {{ this }} where event_id not in (
                select event_id from {{ ref('int_events_checked') }} where rejection_code is null
            )
        {% endif %}",
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
