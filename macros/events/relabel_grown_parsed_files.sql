{#- Pre-hook of stg_app__events: the rows of each grown file's old content are re-labelled to its new hash, and the
    lineage records old -> new (an older hash that led to the old one now leads to the new one too). -#}
{% macro relabel_grown_parsed_files(relation) -%}
    {%- set grown = grown_event_files(relation) -%}
    {%- if not grown -%}{{- return('select 1') -}}{%- endif -%}
    {%- set lineage = event_file_state('file_lineage') -%}
    {%- set statements = ['create table if not exists ' ~ lineage ~ ' (old_hash ' ~ dbt.type_string()
        ~ ', new_hash ' ~ dbt.type_string() ~ ', old_row_count bigint)'] -%}
    {%- for file in grown -%}
        {%- set old, new = sql_literal(file.grown_from), sql_literal(file.file_hash) -%}
        {%- do statements.append('update ' ~ lineage ~ ' set new_hash = ' ~ new ~ ' where new_hash = ' ~ old) -%}
        {%- do statements.append('delete from ' ~ lineage ~ ' where old_hash = ' ~ old) -%}
        {%- do statements.append('insert into ' ~ lineage ~ ' values (' ~ old ~ ', ' ~ new ~ ', '
            ~ file.old_rows ~ ')') -%}
        {%- do statements.append('update ' ~ relation ~ ' set file_hash = ' ~ new ~ ' where file_hash = ' ~ old) -%}
    {%- endfor -%}
    {{- return(statements | join(';\n')) -}}
{%- endmacro %}
