-- Every row of the current raw_app_events files, each with its outcome: the row an event id is sent as, or the
-- reason the row is left out. An event id is sent once, as its first row that can be sent: its first row, in
-- file order, with a user that stands for a Totango user, a readable timestamp, a module and an action. Rows of
-- that id before it keep their own reason; rows after it are repeats (duplicate). Once an export has sent an
-- id (export.py's ledger), the row it sent stays the one used while its file is there, and the id is never
-- resolved again: its other rows, and rows that come later (a re-delivery, a backfill file), are repeats.
--
-- Built on from one build to the next (incremental, on DuckDB): only the open event ids are checked again, those
-- with rows in files that are new or gone since the last build, and those not sent at the last build (whose
-- user may have arrived, or which an export has sent since); the rows of every other id stay as they were. An
-- event that an export has sent since, and that is one row alone, is not checked again: it only becomes sent
-- (was_sent), which the post-hook mark_exported_events sets, knowing from the ledger which builds were exported.
-- A file that grew keeps its checked rows, under the part of the file they came from, and only the events of its
-- new rows (a new part) are open (macros/events/grown_event_files.sql).
-- A build on other rules, or after files were renamed, checks everything (event_check_plan); so does
-- --full-refresh, and Spark, where this is a table rebuilt whole. Either way the same rows come out.
{%- set rules_version = event_rules_version('checked') %}
{%- set plan = event_check_plan(rules_version) %}
{#- The pre-hook: never from rows parsed under other rules (this model run alone under other vars: macro
    refuse_stale_parsed_events). #}
{{ config(
    materialized='table' if target.type == 'spark' else 'incremental',
    incremental_strategy='delete+insert',
    unique_key='event_key',
    pre_hook="{{ refuse_stale_parsed_events() }}",
    post_hook=["{{ forget_event_files(this, 'checked') }}", "{{ mark_exported_events(this) }}"],
) }}
with

files as {{ read_where_used() }} (
    select * from {{ ref('int_event_files') }}
),

-- Every stored row of the history: read where used below, never copied whole (macro read_where_used).
events as {{ read_where_used() }} (
    select * from {{ ref('stg_app__events') }}
),

users as {{ read_where_used() }} (
    select * from {{ ref('int_users_checked') }}
),

-- Every stored row in its file, once per copy of the file: read where used below, never copied whole.
placed_events as {{ read_where_used() }} (
    select
        events.*,
        files.file_copy,
        files.file_order,
        files.file_name
    from events
    inner join files
        on events.file_hash = files.file_hash
),

-- Each user id that stands for a Totango user (int_users_checked decides which; macro event_users).
event_users as (
    {{ event_users('users') }}
),

-- Why a user id that is in the users export did not make a Totango user, for the event's detail.
rejected_users as (
    select
        user_id,
        min(rejection_code) as rejection_code
    from users
    where user_id is not null and rejection_code not in ('duplicate', 'duplicate_email')
    group by user_id
),

{%- if not plan.full %}
{%- set new_hashes = plan.new_pairs | map(attribute='file_hash') | unique | list %}

-- The open event ids: those not sent at the last build (but for a row sent alone since: exported_alone, and rows
-- settled: settled_event_row), and those with rows in new or gone files.
open_ids as (
    select previous.event_id from {{ this }} as previous
    left join event_users as user_now
        on previous.user_id = user_now.user_id
    left join rejected_users as rejected_now
        on previous.user_id = rejected_now.user_id
    where
        not previous.was_sent and previous.event_id is not null
        and not {{ exported_alone('previous') }}
        and not {{ settled_event_row('previous', 'user_now', 'rejected_now') }}
    {%- if new_hashes %}
    union
    select new_events.event_id from events as new_events
    where new_events.file_hash in {{ in_list(new_hashes) }} and new_events.event_id is not null
    {%- endif %}
    {%- for pair in plan.gone_pairs %}
    union
    select gone.event_id from {{ this }} as gone
    where
        gone.file_hash = {{ sql_literal(pair.file_hash) }} and gone.file_copy = {{ pair.file_copy }}
        and gone.event_id is not null
    {%- endfor %}
),

-- The stored rows of the open ids, by their place in the table: found by a probe of one column (the id), then
-- read whole. A probe by id that carried every column of every stored row spilled them all to disk once the open
-- ids' hash table outgrew memory (a day of millions of new events): a cost that grew with the history, for the
-- same new rows. The probe has no other filter on purpose: with one (the hash that leaves the new files out),
-- DuckDB guessed the filtered table smaller than the open ids and built its hash table on the table's ten million
-- ids instead of the open ones (docs/benchmark.md, eleventh session); the new files are left out below instead.
open_stored_places as (
    select stored.rowid as stored_row from {{ ref('stg_app__events') }} as stored
    where stored.event_id in (select open_ids.event_id from open_ids)
),

-- Every row of the open ids: the stored rows found above outside the new files, and the rows with an id of the
-- new files (their ids are all open; a filter on the hash skips the stored rows of every other file: they are
-- stored file by file).
open_events as (
    select * from {{ ref('stg_app__events') }}
    where
        rowid in (select open_stored_places.stored_row from open_stored_places)
        {%- if new_hashes %}
        and file_hash not in {{ in_list(new_hashes) }}
        {%- endif %}
    {%- if new_hashes %}
    union all
    select * from events
    where file_hash in {{ in_list(new_hashes) }} and event_id is not null
    {%- endif %}
),
{%- endif %}

-- The rows to check: every current row on a full check; otherwise the rows of the open event ids in their files,
-- and the rows without an id of new files.
open_rows as (
    {%- if plan.full %}
        select * from placed_events
    {%- else %}
        select
            open_events.*,
            files.file_copy,
            files.file_order,
            files.file_name
        from open_events
        inner join files
            on open_events.file_hash = files.file_hash
        {%- for pair in plan.new_pairs %}
        union all
        select * from placed_events
        where
            event_id is null and file_hash = {{ sql_literal(pair.file_hash) }} and file_copy = {{ pair.file_copy }}
        {%- endfor %}
    {%- endif %}
),

-- What the ledger says of the open ids: sent or not, and the row it sent.
sent as (
    {{ sent_event_rows('open_rows', 'files') }}
),

-- The product key of each product name the open events use: computed once per name, not once per event.
products as (
    select
        product_name,
        {{ product_key('product_name') }} as product_key
    from (
        select distinct product_name
        from open_rows
        where product_name is not null
    ) as names
),

-- The first copy of each file, to name in the details of a copy's rows.
original_files as (
    select
        file_hash,
        file_name
    from files
    where file_copy = 1
),

-- An event not sent yet is resolved to its user now; a sent one never again.
resolved as (
    select
        open_rows.*,
        sent.event_id is not null as was_sent,
        coalesce(
            sent.sent_file_hash = open_rows.file_hash
            and sent.sent_file_row_number = open_rows.file_row_number
            and open_rows.file_copy = 1,
            false
        ) as is_sent_row,
        case when sent.event_id is null then event_users.email end as email,
        case when sent.event_id is null then event_users.product_account_id end as product_account_id,
        -- The product account the event goes (or, says the ledger, went) under, and the one it names itself.
        case
            when sent.event_id is null then event_users.product_account_id else sent.sent_account_id
        end as sent_under_account_id,
        {{ product_account_id('open_rows.account_id', 'products.product_key') }} as event_product_account_id,
        rejected_users.rejection_code as user_rejection_code,
        original_files.file_name as original_file_name
    from open_rows
    left join sent
        on open_rows.event_id = sent.event_id
    left join event_users
        on open_rows.user_id = event_users.user_id
    left join rejected_users
        on open_rows.user_id = rejected_users.user_id
    left join products
        on open_rows.product_name = products.product_name
    left join original_files
        on open_rows.file_hash = original_files.file_hash
),

-- The row's own reason to be left out, whatever other rows of its id hold.
own_reasons as (
    select
        *,
        case
            when event_id is null then 'blank_id'
            when file_copy > 1 then 'duplicate'
            when not was_sent and product_account_id is null then 'unknown_user'
            when occurred_at is null then 'invalid_timestamp'
            when module is null or action is null then 'missing_value'
        end as own_code
    from resolved
),

-- Each row beside how many rows its event id has (a row without an id is one alone) and the row its id counts
-- as: the row the ledger says was sent, while it is there; otherwise the first row with no reason of its own to be
-- left out. One window, so one sort of the rows by id: the rows that can be used first, in the order they are
-- chosen, and the first of them is the row used. Two windows (a count by id, then a rank of the usable rows
-- joined back) sorted the wide rows twice and kept them in a table between: at 10M events the full build's query
-- took 36.8 s and spilled 11 GB, against 16.2 s and 1.9 GB now (docs/benchmark.md). A count per id joined back,
-- instead of a window, ran out of memory on a day of 10M new events.
by_id as (
    select
        *,
        case when event_id is null then 1 else count(*) over ids end as id_row_count,
        first_value(case when own_code is null then file_order end) over ids as used_file_order,
        first_value(case when own_code is null then file_row_number end) over ids as used_file_row_number,
        first_value(case when own_code is null then file_name end) over ids as used_file_name
    from own_reasons
    window ids as (
        partition by event_id
        order by
            case when own_code is null then 0 else 1 end,
            case when is_sent_row then 0 else 1 end,
            file_order,
            file_row_number
        rows between unbounded preceding and unbounded following
    )
),

-- A row before the used one keeps its own reason (a repeat if it has none); the rows after it are repeats.
checked as (
    select
        *,
        case
            when own_code = 'blank_id' or file_copy > 1 then own_code
            when used_file_order is null then own_code
            when file_order = used_file_order and file_row_number = used_file_row_number then null
            when
                file_order < used_file_order
                or (file_order = used_file_order and file_row_number < used_file_row_number)
                then coalesce(own_code, 'duplicate')
            else 'duplicate'
        end as rejection_code
    from by_id
),

-- Columns that matter only for a few rows are kept only there: at ten million events every column written
-- to the table costs time.
final as (
    select
        -- The key a later build replaces rows by: every row of an event id together (they decide each other);
        -- a row without an id stands alone (macro event_key).
        {{ event_key('event_id', 'file_hash', 'file_copy', 'file_row_number') }} as event_key,
        file_hash,
        file_copy,
        file_name,
        file_row_number,
        event_id,
        -- The id exactly as written, where cleaning changed it (or it was blank): the data-issues key.
        case when raw_event_id = event_id then null else coalesce(raw_event_id, '') end as raw_event_id,
        user_id,
        case when rejection_code is null then account_id end as account_id,
        case when rejection_code is null then product_name end as product_name,
        case when rejection_code is null then module end as module,
        case when rejection_code is null then action end as action,
        case when rejection_code is null then occurred_at end as occurred_at,
        control_character_columns,
        rejection_code,
        was_sent,
        id_row_count,
        case rejection_code
            when 'blank_id' then 'The event_id is blank; fill it in the product export.'
            when 'duplicate'
                then
                    case
                        when file_copy > 1
                            then
                                'The file ' || file_name || ' holds the same bytes as ' || original_file_name
                                || ', which is read once; this row repeats its row ' || file_row_number || '.'
                        else
                            'event_id ' || event_id || ' appears more than once in the export; its row '
                            || used_file_row_number || coalesce(' of ' || used_file_name, '') || ' is the one sent '
                            || '(an event id is sent once, as its first row that can be sent).'
                    end
            when 'unknown_user'
                then
                    {{ unknown_user_detail('user_id', 'user_rejection_code') }}
            when 'invalid_timestamp'
                then
                    'occurred_at ' || coalesce('''' || left(occurred_at_text, 100) || '''', '(blank)')
                    || ' is not an ISO 8601 timestamp between {{ var("earliest_valid_date") }} and '
                    || '{{ var("latest_valid_date") }} (e.g. 2026-11-25T14:02:00Z).'
            when 'missing_value'
                then
                    'The ' || case when module is null then 'module' else 'action' end
                    || ' is blank, and Totango needs both module and action.'
        end as rejection_detail,
        -- Said of the row an event is (or was) sent as, while its file is there: from the ledger once sent, so a
        -- sent event's user is never looked up again.
        case
            when
                rejection_code is null and sent_under_account_id is not null
                and coalesce(event_product_account_id, '') != sent_under_account_id
                then
                    'The event names ' || coalesce(left(account_id, 100), '(blank)') || ' / '
                    || coalesce(left(product_name, 100), '(blank)') || ' but user ' || user_id || ' belongs to '
                    || sent_under_account_id || '; the event is sent under the user''s product account.'
        end as user_account_mismatch_detail,
        {{ sql_literal(rules_version) }} as rules_version,
        {{ sql_literal(invocation_id) }} as checked_in_build
    from checked
)

select * from final
