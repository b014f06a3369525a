{#- Pre-hook of int_issues__app_events_by_row (DuckDB, built on from one build to the next): the issues of rows
    that int_events_checked no longer holds as they were read leave before the rows read now come in, so that the
    table holds the issues of int_events_checked's rows, no more. They are the issues of:
    - the event keys the pending builds checked again (int_events_checked replaced every row of those keys: macro
      event_key), whatever their rows' issues are now (a row with none now writes nothing to replace them by);
    - the rows the pending builds checked again, by their place (file, copy, row), whatever key they had: read
      under other column names (raw_column_names), the same row has another event id, so another key, and the
      issue read under the old names, by this model run alone under the new ones, must go too;
    - the files no longer there (int_events_checked forgets their rows: macro forget_event_files);
    - other rules: a build on other rules checked everything again, or this model last ran alone under other vars
      (it stamps its rows with the rules it read them under; pending_issue_builds then reads every build again).
    It runs in the transaction of the model's insert (dbt-duckdb's incremental materialization), so a build killed
    between the two leaves the table as it was. A --full-refresh, the first build and Spark build the table whole:
    nothing to forget. -#}
{% macro forget_event_issues(relation) -%}
    {%- if target.type == 'spark' or not keeps_event_state() -%}
        {{- return('select 1') -}}
    {%- endif -%}
    {%- set checked = ref('int_events_checked') -%}
    {%- set pending = pending_issue_builds(relation) %}
    delete from {{ relation }}
    where rules_version != {{ sql_literal(event_rules_version('checked')) }}
        or event_key in (
            select event_key from {{ checked }}
            where checked_in_build in {{ in_list(pending) }}
        )
        or (file_hash, file_copy, file_row_number) in (
            select (file_hash, file_copy, file_row_number) from {{ checked }}
            where checked_in_build in {{ in_list(pending) }}
        )
        or (
            file_hash is not null
            and not exists (
                select 1 from {{ ref('int_event_files') }} as files
                where files.file_hash = {{ relation }}.file_hash and files.file_copy = {{ relation }}.file_copy
            )
        )
{%- endmacro %}
