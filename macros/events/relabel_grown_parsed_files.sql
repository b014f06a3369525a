{#- Pre-hook of stg_app__events: the rows of each grown file's old content are re-labelled to its new hash
    (grown_event_files), and the lineage records old -> new for every file that grew (grown_event_lineage: also when
    the file is parsed whole; an older hash that led to the old one now leads to the new one too). -#}
{% macro relabel_grown_parsed_files(relation) -%}
    {%- set lineage_files = grown_event_lineage(relation) -%}
    {%- if not lineage_files -%}{{- return('select 1') -}}{%- endif -%}
    {%- set lineage = event_file_state('file_lineage') -%}
    {%- set statements = ['create table if not exists ' ~ lineage ~ ' (old_hash ' ~ dbt.type_string()
        ~ ', new_hash ' ~ dbt.type_string() ~ ', old_row_count bigint)'] -%}
    {%- for file in lineage_files -%}
        {%- set old, new = sql_literal(file.grown_from), sql_literal(file.file_hash) -%}
        {%- do statements.append('update ' ~ lineage ~ ' set new_hash = ' ~ new ~ ' where new_hash = ' ~ old) -%}
        {%- do statements.append('delete from ' ~ lineage ~ ' where old_hash = ' ~ old) -%}
        {%- do statements.append('insert into ' ~ lineage ~ ' values (' ~ old ~ ', ' ~ new ~ ', '
            ~ file.old_rows ~ ')') -%}
    {%- endfor -%}
    {%- for file in grown_event_files(relation) -%}
        {%- do statements.append('update ' ~ relation ~ ' set file_hash = ' ~ sql_literal(file.file_hash)
            ~ ' where file_hash = ' ~ sql_literal(file.grown_from)) -%}
    {%- endfor -%}
    {{- return(statements | join(';\n')) -}}
{%- endmacro %}
