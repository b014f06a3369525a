{#- Post-hook of stg_app__events (DuckDB, folder mode): the listing it parsed, kept until it parses again. -#}
{% macro remember_parsed_listing() -%}
    {%- if target.type == 'spark' or not raw_dir() or model.resource_type == 'unit_test' -%}
        {{- return('select 1') -}}
    {%- endif -%}
    create or replace table {{ event_file_state('parsed_listing') }} as
    select file_key, file_hash, byte_count, ends_with_newline
    from {{ source('raw_files', 'raw_app_events__file_listing') }}
{%- endmacro %}
