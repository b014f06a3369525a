{#- Pre-hook of int_events_checked: the checked rows of each file copy that grew (event_check_plan's grown pairs)
    are re-labelled to the new hash, and the keys of its rows without an event id, which name the hash, made again
    (only theirs: rewriting every row's key would cost as much as the hash). Nothing to do without a lineage. -#}
{% macro relabel_grown_checked_files(relation) -%}
    {%- if not event_file_lineage() -%}{{- return('select 1') -}}{%- endif -%}
    {%- set plan = event_check_plan(event_rules_version('checked')) -%}
    {%- if not plan.grown_pairs -%}{{- return('select 1') -}}{%- endif -%}
    {%- set statements = [] -%}
    {%- for pair in plan.grown_pairs -%}
        {%- set new_hash = sql_literal(pair.file_hash) -%}
        {%- do statements.append('update ' ~ relation ~ ' set file_hash = ' ~ new_hash
            ~ ' where file_hash = ' ~ sql_literal(pair.old_hash) ~ ' and file_copy = ' ~ pair.file_copy) -%}
        {%- do statements.append('update ' ~ relation ~ ' set event_key = '
            ~ event_key('event_id', new_hash, 'file_copy', 'file_row_number') ~ ' where file_hash = ' ~ new_hash
            ~ ' and file_copy = ' ~ pair.file_copy ~ ' and event_id is null') -%}
    {%- endfor -%}
    {{- return(statements | join(';\n')) -}}
{%- endmacro %}
