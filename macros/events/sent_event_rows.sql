{#- The events earlier exports sent, from export.py's ledger (totango_feed/ledger.py), for the event ids of
    `open_rows` (a relation with an event_id column): one row per id ever sent, with the row that was sent as the
    export recorded it (the file's hash and the row's number in it; null for what an older ledger recorded
    without them). An id sent twice (export --full) counts as sent by its first export (run ids sort in time).
    Also the Totango Account ID it was sent under. Only the ids asked about are read: the ledger holds every id ever
    sent. Before any export there is no ledger, and nothing was sent.

    A row sent from a file that has grown since (macros/events/grown_event_files.sql) keeps its hash, a part of the
    grown file. Where that content is no longer a part of a current file (`files`: a relation with a file_hash
    column, int_event_files), because the grown file was parsed whole again, its hash is followed through the
    lineage to the grown file's, and to the part of it that holds the row now (it may have grown again since: DuckDB).
    -#}
{% macro sent_event_rows(open_rows, files) -%}
    {{- return(adapter.dispatch('sent_event_rows', 'totango_feed')(open_rows, files)) -}}
{%- endmacro %}

{% macro duckdb__sent_event_rows(open_rows, files) -%}
    {%- set columns = [] -%}
    {%- if execute -%}
        {%- set found = run_query("select column_name from duckdb_columns() where schema_name = 'ledger' and "
            ~ "table_name = 'exported_events'") -%}
        {%- set columns = found.columns[0].values() | list -%}
    {%- endif -%}
    {%- if 'event_id' not in columns -%}
    select
        cast(null as {{ dbt.type_string() }}) as event_id,
        cast(null as {{ dbt.type_string() }}) as sent_file_hash,
        cast(null as bigint) as sent_file_row_number,
        cast(null as {{ dbt.type_string() }}) as sent_account_id
    where false
    {%- else -%}
    {%- set lineage = event_file_lineage() if 'source_file_hash' in columns else {} %}
    select
        sent_rows.event_id,
        {%- if lineage %}
        case
            when
                lineage.new_hash is not null
                and sent_rows.sent_file_hash not in (select current_files.file_hash from {{ files }} as current_files)
                -- The part of the grown file that holds the row now: the last to start at or before it.
                then coalesce((
                    select arg_max(parts.file_hash, parts.first_row_number) from {{ files }} as parts
                    where
                        parts.content_hash = lineage.new_hash
                        and parts.first_row_number <= sent_rows.sent_file_row_number
                ), lineage.new_hash)
            else sent_rows.sent_file_hash
        end as sent_file_hash,
        {%- else %}
        sent_rows.sent_file_hash,
        {%- endif %}
        sent_rows.sent_file_row_number,
        sent_rows.sent_account_id
    from (
    select
        event_id,
        {%- for column, name, type in [
            ('source_file_hash', 'sent_file_hash', dbt.type_string()),
            ('source_file_row_number', 'sent_file_row_number', 'bigint'),
            ('sent_account_id', 'sent_account_id', dbt.type_string()),
        ] %}
        {{ 'arg_min(' ~ column ~ ', run_id)' if column in columns else 'cast(null as ' ~ type ~ ')' }} as {{ name }}
        {{- ',' if not loop.last }}
        {%- endfor %}
    from ledger.exported_events
    -- The rows of the ids asked about, found by a probe of the id column alone and then read whole: the ledger
    -- grows with every export, and a probe that carried every column spilled them all once the open ids' hash
    -- table outgrew memory.
    where rowid in (
        select asked.rowid from ledger.exported_events as asked
        where asked.event_id in (select event_id from {{ open_rows }})
    )
    group by event_id
    ) as sent_rows
    {%- if lineage %}
    left join {{ event_file_state('file_lineage') }} as lineage
        on sent_rows.sent_file_hash = lineage.old_hash
    {%- endif %}
    {%- endif -%}
{%- endmacro %}

{#- Spark cannot read export.py's ledger, a DuckDB file: export.py also writes each run's sent events as a Parquet
    file into the folder of the Spark table ledger.exported_events (totango_feed/spark_ledger.py), which this
    build makes when it starts (on-run-start, macro register_raw_exports) and reads here. -#}
{% macro spark__sent_event_rows(open_rows, files) -%}
    {%- if execute -%}{%- do run_query('refresh table ledger.exported_events') -%}{%- endif -%}
    select
        event_id,
        min_by(source_file_hash, run_id) as sent_file_hash,
        min_by(source_file_row_number, run_id) as sent_file_row_number,
        min_by(sent_account_id, run_id) as sent_account_id
    from ledger.exported_events
    where event_id in (select event_id from {{ open_rows }})
    group by event_id
{%- endmacro %}
