-- One row per usage event that can be sent: the kept events, with their Totango user and UTC time.
-- Every valid event of the current exports, whatever its timestamp says: which of them go into a file is decided
-- by export.py from the event ids its ledger has already sent, never by time. A view over int_events_checked,
-- which is rebuilt whole on every build, so an event whose user appears (or changes) later resolves afresh.
{{ config(materialized='view') }}

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
