-- The data issues of the rows of int_events_checked, each beside the row it is about: events left out, events sent
-- under their user's product account where they named another, cut to Totango's limits, or from which control
-- characters were removed. int_issues__app_events places them in the export.
--
-- Built on from one build to the next (incremental, on DuckDB), as int_events_checked is: a build reads only the
-- rows int_events_checked checked in builds this table has not read (pending_issue_builds: usually this build's
-- alone), and its pre-hook first removes the issues of the rows those builds replaced (forget_event_issues).
-- Rebuilt whole, the table read every row of the history each day: about 1 s of a daily build at 10M events, 5.4 s
-- at 100M (docs/benchmark.md). Each build read leaves one row with no issue (the columns of the record null), which
-- says that its rows are here. A --full-refresh, and Spark, where this is a table rebuilt whole, read every row.
-- The pre-hook reads which files are there (forget_event_issues):
-- depends_on: {{ ref('int_event_files') }}
{{ config(
    materialized='table' if target.type == 'spark' else 'incremental',
    incremental_strategy='append',
    on_schema_change='fail',
    pre_hook="{{ forget_event_issues(this) }}",
) }}
{#- The rules this build reads the rows under: each row is stamped with them, not with int_events_checked's, since
    this model applies Totango's limits itself (too_long) and may run alone under other vars. -#}
{%- set rules_version = event_rules_version('checked') %}
{%- set pending = pending_issue_builds(this) if keeps_event_state() else none %}
with

-- The rows of the builds read: read where used below (the issues, and the builds read), never copied whole.
checked as {{ read_where_used() }} (
    select * from {{ ref('int_events_checked') }}
    {%- if pending is not none %}
    where checked_in_build in {{ in_list(pending) }}
    {%- endif %}
),

-- The rows that may have an issue: a small share of millions, found by cheap tests before any other work (the
-- length test stands in front of too_long_issues' exact one).
flagged as (
    select * from checked
    where
        rejection_code is not null
        or user_account_mismatch_detail is not null
        or control_character_columns is not null
        or length(action) >= {{ var('totango_limits')[output_limit('usage.csv', 'Action')] }}
        or length(module) >= {{ var('totango_limits')[output_limit('usage.csv', 'Module')] }}
),

events as (
    select
        *,
        -- The key as written: raw_event_id is kept only where cleaning changed the id.
        coalesce(raw_event_id, event_id) as source_key,
        -- Placed in the export by int_issues__app_events: a file added before this one moves it.
        cast(null as bigint) as source_row_number
    from flagged
),

sent_events as (
    select * from events
    where rejection_code is null
),

{%- set carry = ['event_key', 'file_hash', 'file_copy', 'file_row_number', 'checked_in_build'] %}

issues as (
    {{ rejection_issues('raw_app_events', 'events', 'source_key', carry=carry) }}

    union all

    select
        {% call data_issue_row('raw_app_events', 'source_key', issue='user_account_mismatch', carry=carry) -%}
            user_account_mismatch_detail
        {% endcall %}
    from events
    where user_account_mismatch_detail is not null

    union all

    {{ too_long_issues('raw_app_events', 'sent_events', 'source_key', [
        {'column': 'action', 'limit': output_limit('usage.csv', 'Action'), 'header': 'The action'},
        {'column': 'module', 'limit': output_limit('usage.csv', 'Module'), 'header': 'The module'},
    ], carry=carry) }}

    union all

    {{ control_character_issues('raw_app_events', 'events', 'source_key', carry=carry) }}
),

-- One row per build read, with no issue: the record pending_issue_builds reads.
builds_read as (
    select distinct checked_in_build
    from checked
),

final as (
    select
        source,
        source_key,
        issue,
        detail,
        outcome,
        event_key,
        file_hash,
        file_copy,
        file_row_number,
        checked_in_build,
        {{ sql_literal(rules_version) }} as rules_version
    from issues

    union all

    select
        cast(null as {{ dbt.type_string() }}) as source,
        cast(null as {{ dbt.type_string() }}) as source_key,
        cast(null as {{ dbt.type_string() }}) as issue,
        cast(null as {{ dbt.type_string() }}) as detail,
        cast(null as {{ dbt.type_string() }}) as outcome,
        cast(null as {{ dbt.type_string() }}) as event_key,
        cast(null as {{ dbt.type_string() }}) as file_hash,
        cast(null as bigint) as file_copy,
        cast(null as bigint) as file_row_number,
        checked_in_build,
        {{ sql_literal(rules_version) }} as rules_version
    from builds_read
)

select * from final
