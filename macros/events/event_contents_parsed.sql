{#- Which of these contents (file hashes) stg_app__events (relation) holds whole, under today's rules: a content
    parsed whole (its row 1 is stored under its own hash), or a file that grew, stored in parts (event_file_parts),
    whose first part is such a content. A hash stored only as a later part of a grown file (its rows start after
    the first) is not a whole content: a file of those bytes is parsed whole. A grown file one of whose earlier parts
    is a current file of its own (current_hashes: a snapshot of it put back, a file cut back to it) is parsed whole
    too: two files must not share stored rows (each part is one file's, or a copy's). -#}
{% macro event_contents_parsed(relation, hashes, current_hashes) -%}
    {#- (Spark parses every file whole: its partitions are the contents, listed without reading a row.) -#}
    {%- set whole = distinct_values(relation, 'file_hash', ('file_row_number = 1 and ' if target.type != 'spark'
        else '') ~ 'rules_version = ' ~ sql_literal(event_rules_version('parsed'))) -%}
    {%- set parts = event_file_parts() -%}
    {%- set parsed = [] -%}
    {%- for content in hashes -%}
        {%- set own_parts = parts.get(content, [content]) -%}
        {%- set earlier_parts = own_parts | reject('equalto', content) | list -%}
        {%- if own_parts[0] in whole and not (earlier_parts | select('in', current_hashes) | list) -%}
            {%- do parsed.append(content) -%}
        {%- endif -%}
    {%- endfor -%}
    {{- return(parsed) -}}
{%- endmacro %}

{#- The contents of stg_app__event_files that this build parses (whole, or only the rows after the old rows of a
    file that grew): every current content not held whole (event_contents_parsed); all of them when the model is
    rebuilt (--full-refresh, the first build). -#}
{% macro event_contents_to_parse(relation) -%}
    {%- set current = distinct_values(ref('stg_app__event_files'), 'file_hash') -%}
    {%- if not keeps_event_state() -%}{{- return(current) -}}{%- endif -%}
    {%- set parsed = event_contents_parsed(relation, current, current) -%}
    {{- return(current | reject('in', parsed) | list) -}}
{%- endmacro %}
