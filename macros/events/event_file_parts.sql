{#- The parts of each file that grew: {file hash: [part hash, ...]}, in row order. A grown file's rows are stored
    under the hash of the content that first held them (its parts: the content it grew from, then its own hash for
    the rows after), so that growing never rewrites stored rows (raw.raw_app_events__file_parts, kept by
    record_grown_files and forget_event_files). A file that never grew is not listed: it is its own one part. -#}
{% macro event_file_parts() -%}
    {%- set parts = {} -%}
    {%- if execute and target.type != 'spark' and event_file_state_exists('file_parts') -%}
        {%- for row in run_query('select file_hash, part_hash from ' ~ event_file_state('file_parts')
            ~ ' order by file_hash, first_row_number') -%}
            {%- do parts.setdefault(row[0], []).append(row[1]) -%}
        {%- endfor -%}
    {%- endif -%}
    {{- return(parts) -}}
{%- endmacro %}
