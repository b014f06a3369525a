{#- After each event model: the rows of files that are gone leave, and so do rows stored under other rules (a full
    check or parse rewrote everything under today's). stage: 'parsed' (stg_app__events, by file) or 'checked'
    (int_events_checked, by file copy). On Spark stg_app__events drops the partitions of gone files, and
    int_events_checked is a table, rebuilt whole.

    A file that grew is stored in parts (event_file_parts): the parts of a current file stay, and those of the
    content a current file ending in the middle of a row grew from (the next day's file grows from it). A file
    gone, or parsed whole by this build (its row 1 is new: a --full-refresh, other rules), leaves the list of parts
    first, so that the old parts of a file parsed whole again go too. -#}
{% macro forget_event_files(relation, stage) -%}
    {%- if target.type == 'spark' -%}
        {{- return(spark_drop_gone_partitions(relation) if stage == 'parsed' else 'select 1') -}}
    {%- endif -%}
    {%- set files = ref('stg_app__event_files') -%}
    {%- if stage == 'parsed' and execute and model.resource_type != 'unit_test'
        and event_file_state_exists('file_parts') -%}
        {%- set parts = event_file_state('file_parts') -%}
        delete from {{ parts }}
        where (
            file_hash not in (select file_hash from {{ files }})
            -- The content a file ending in the middle of a row grew from: the next file grows from it (its parts
            -- are copied then), not from the file of the half row (parsed_whole_rows).
            and file_hash not in (
                select grown_from_hash from {{ files }}
                where not ends_with_newline and grown_from_hash is not null
            )
        )
            or file_hash in (
                select file_hash from {{ relation }}
                where parsed_in_build = {{ sql_literal(invocation_id) }} and file_row_number = 1
            );
        delete from {{ relation }}
        where (
            file_hash not in (select file_hash from {{ files }})
            and file_hash not in (select part_hash from {{ parts }})
        )
            or rules_version != {{ sql_literal(event_rules_version('parsed')) }}
    {%- elif stage == 'parsed' -%}
        delete from {{ relation }}
        where file_hash not in (select file_hash from {{ files }})
            or rules_version != {{ sql_literal(event_rules_version('parsed')) }}
    {%- else -%}
        delete from {{ relation }}
        where rules_version != {{ sql_literal(event_rules_version('checked')) }}
            or not exists (
                select 1 from {{ ref('int_event_files') }} as files
                where files.file_hash = {{ relation }}.file_hash and files.file_copy = {{ relation }}.file_copy
            )
    {%- endif -%}
{%- endmacro %}
