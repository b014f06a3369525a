{#- After each event model: the rows of files that are gone leave, and so do rows stored under other rules (a full
    check or parse rewrote everything under today's). stage: 'parsed' (stg_app__events, by file) or 'checked'
    (int_events_checked, by file copy). On Spark stg_app__events drops the partitions of gone files, and
    int_events_checked is a table, rebuilt whole. -#}
{% macro forget_event_files(relation, stage) -%}
    {%- if target.type == 'spark' -%}
        {{- return(spark_drop_gone_partitions(relation) if stage == 'parsed' else 'select 1') -}}
    {%- endif -%}
    {%- if stage == 'parsed' -%}
        delete from {{ relation }}
        where file_hash not in (select file_hash from {{ ref('stg_app__event_files') }})
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
