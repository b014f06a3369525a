{#- The lineage: {old hash: {new_hash, old_row_count}}, each old content to the latest content that grew from it. -#}
{% macro event_file_lineage() -%}
    {%- set lineage = {} -%}
    {%- if execute and target.type != 'spark' and event_file_state_exists('file_lineage') -%}
        {%- for row in run_query('select old_hash, new_hash, old_row_count from '
            ~ event_file_state('file_lineage')) -%}
            {%- do lineage.update({row[0]: {'new_hash': row[1], 'old_row_count': row[2]}}) -%}
        {%- endfor -%}
    {%- endif -%}
    {{- return(lineage) -}}
{%- endmacro %}
