{#- The events earlier exports sent, from export.py's ledger (totango_feed/ledger.py), for the event ids of
    `open_rows` (a relation with an event_id column): one row per id ever sent, with the row that was sent as the
    export recorded it (the file's hash and the row's number in it; null for what an older ledger recorded
    without them). An id sent twice (export --full) counts as sent by its first export (run ids sort in time).
    Only the ids asked about are read: the ledger holds every id ever sent. Before any export there is no ledger,
    and nothing was sent. -#}
{% macro sent_event_rows(open_rows) -%}
    {{- return(adapter.dispatch('sent_event_rows', 'totango_feed')(open_rows)) -}}
{%- endmacro %}

{% macro duckdb__sent_event_rows(open_rows) -%}
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
        cast(null as bigint) as sent_file_row_number
    where false
    {%- else -%}
    select
        event_id,
        {%- if 'source_file_hash' in columns %}
        arg_min(source_file_hash, run_id) as sent_file_hash,
        arg_min(source_file_row_number, run_id) as sent_file_row_number
        {%- else %}
        cast(null as {{ dbt.type_string() }}) as sent_file_hash,
        cast(null as bigint) as sent_file_row_number
        {%- endif %}
    from ledger.exported_events
    where event_id in (select event_id from {{ open_rows }})
    group by event_id
    {%- endif -%}
{%- endmacro %}
