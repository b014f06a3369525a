-- Product usage events, one row per row of each file of raw_app_events, parsed once per file content: a build
-- reads only the files whose SHA-256 (stg_app__event_files) it has not parsed under today's rules
-- (event_rules_version), and forgets the rows of files that are gone. A table, built on from one build to the next
-- (incremental); --full-refresh parses every file again. Rows are numbered within their file (file_row_number).
-- A file that grew since it was parsed (yesterday's bytes with rows appended) keeps its rows, stored under the hash
-- they were parsed under, and only the rows after them are parsed, under its new hash: a grown file is stored in
-- parts, which the pre-hook records (macros/events/grown_event_files.sql).
{%- set rules_version = event_rules_version('parsed') %}
{#- (A unit test gives its rows as the whole export: there is nothing to look up.) #}
{%- set current_hashes = distinct_values(ref('stg_app__event_files'), 'file_hash')
    if model.resource_type != 'unit_test' else [] %}
{#- The contents held whole already (a later part of a grown file is not: macros/events/event_contents_parsed.sql). #}
{%- set parsed_hashes = event_contents_parsed(this, current_hashes, current_hashes) if keeps_event_state() else [] %}
{%- set new_hashes = current_hashes | reject('in', parsed_hashes) | list %}
{%- set grown = grown_event_files(this) if model.resource_type != 'unit_test' else [] %}
{{ config(
    materialized='incremental',
    incremental_strategy='insert_overwrite' if target.type == 'spark' else 'append',
    partition_by=['file_hash'] if target.type == 'spark' else none,
    pre_hook=["{{ record_grown_files(this) }}"],
    post_hook=["{{ verify_parsed_files(this) }}", "{{ forget_event_files(this, 'parsed') }}",
        "{{ remember_parsed_listing() }}"],
) }}
{{ follow_seed('raw_app_events') }}
-- The raw values checked for unusual characters (macros is_plain_row, control_character_columns).
{%- set checked_columns = raw_checked_columns(['event_id', 'user_id', 'account_id', 'product', 'module',
    'action', 'occurred_at']) %}

{#- Where the rows of the files not parsed yet come from. In folder mode the raw view reads each file in its own
    branch, named by its hash and copy: a filter on them leaves the other files unread (a second file of the same
    bytes is the same content, read once; its rows are repeats). Of a grown file only the rows after its old rows:
    the filter on the row number comes before the cleaning and typing, which are what cost. Spark reads the new
    files one by one (spark_new_event_rows). In seed mode the export is one file, the seed's. A unit test's rows
    are all new. -#}
{%- set spark_rows = spark_new_event_rows(new_event_files(new_hashes))
    if target.type == 'spark' and raw_dir() and model.resource_type != 'unit_test' and execute else none %}
{%- set by_file = raw_dir() or model.resource_type == 'unit_test' %}
{%- set seed_hash = sql_literal(current_hashes | first) if current_hashes else 'null' %}
{%- if spark_rows or model.resource_type == 'unit_test' %}
    {%- set new_rows = 'true' %}
{%- elif by_file %}
    {%- set old_rows = [] %}
    {%- for file in grown %}
        {%- do old_rows.append(' and not (' ~ raw_file_column('hash') ~ ' = ' ~ sql_literal(file.file_hash)
            ~ ' and ' ~ raw_file_column('row') ~ ' <= ' ~ file.old_rows ~ ')') %}
    {%- endfor %}
    {%- set new_rows = raw_file_column('hash') ~ ' in ' ~ in_list(new_hashes) ~ ' and ' ~ raw_file_column('copy')
        ~ ' = 1' ~ ('' if new_hashes else ' and false') ~ old_rows | join('') %}
{%- else %}
    {%- set new_rows = seed_hash ~ ' in ' ~ in_list(new_hashes) %}
{%- endif %}
with

source as (
    select
        {{ raw_file_column('row') if by_file else row_number_in_file_order() }} as file_row_number,
        {{ raw_file_column('hash') if by_file else seed_hash }} as file_hash,
        *
    from {{ '(' ~ spark_rows ~ ') as new_files' if spark_rows else source('app', 'raw_app_events') }}
    where {{ new_rows }}
),

-- Under the contract's column names (var raw_column_names maps the export's own headers).
renamed as (
    select
        file_hash,
        file_row_number,
        {{ contract_columns_of('app', 'raw_app_events', [], internal_columns=['file_row_number', 'file_hash',
            raw_file_column('row'), raw_file_column('hash'), raw_file_column('copy'), raw_file_column('file')]) }}
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
        file_hash,
        file_row_number,
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
        {{ in_valid_date_range('occurred_at_parsed') }} as occurred_at,
        {{ sql_literal(rules_version) }} as rules_version,
        {{ sql_literal(invocation_id) }} as parsed_in_build
    from parsed
)

select * from typed
