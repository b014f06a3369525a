{#- Pre-hook of stg_app__events (DuckDB, folder mode): what each file that grew is made of, in the transaction of
    the insert of its new rows. Its parts (event_file_parts) are the parts of the content it grew from (that
    content itself, if it never grew), then its own hash, whose rows start after the old rows; no stored row is
    rewritten. The lineage records old -> new for every file that grew (grown_event_lineage: also when the file is
    parsed whole; an older hash that led to the old one now leads to the new one too), for the ledger's rows
    (sent_event_rows). forget_event_files drops the parts of files that are gone or parsed whole. Rows stored under
    a content this build parses (a later part of a grown file that is now a file of its own) are deleted first. -#}
{% macro record_grown_files(relation) -%}
    {%- if target.type == 'spark' or not raw_dir() or model.resource_type == 'unit_test' -%}
        {{- return('select 1') -}}
    {%- endif -%}
    {%- set lineage = event_file_state('file_lineage') -%}
    {%- set parts = event_file_state('file_parts') -%}
    {%- set statements = [
        'create table if not exists ' ~ lineage ~ ' (old_hash ' ~ dbt.type_string() ~ ', new_hash '
            ~ dbt.type_string() ~ ', old_row_count bigint)',
        'create table if not exists ' ~ parts ~ ' (file_hash ' ~ dbt.type_string() ~ ', part_hash '
            ~ dbt.type_string() ~ ', first_row_number bigint)',
    ] -%}
    {%- for file in grown_event_lineage(relation) -%}
        {%- set old, new = sql_literal(file.grown_from), sql_literal(file.file_hash) -%}
        {%- do statements.append('update ' ~ lineage ~ ' set new_hash = ' ~ new ~ ' where new_hash = ' ~ old) -%}
        {#- The old content may have grown before into a content now gone (a file caught in the middle of a row,
            completed since: parsed_whole_rows): the old content's own older contents, which led there, lead here
            (they have no more rows than it: a content that grew from the one gone, by another path, stays). -#}
        {%- do statements.append('update ' ~ lineage ~ ' as older set new_hash = ' ~ new ~ ' from ' ~ lineage
            ~ ' as gone where gone.old_hash = ' ~ old ~ ' and older.new_hash = gone.new_hash and older.old_hash != '
            ~ old ~ ' and older.old_row_count <= gone.old_row_count and gone.new_hash not in (select file_hash from '
            ~ ref('stg_app__event_files') ~ ')') -%}
        {%- do statements.append('delete from ' ~ lineage ~ ' where old_hash = ' ~ old) -%}
        {%- do statements.append('insert into ' ~ lineage ~ ' values (' ~ old ~ ', ' ~ new ~ ', '
            ~ file.old_rows ~ ')') -%}
    {%- endfor -%}
    {%- for file in grown_event_files(relation) -%}
        {%- set old, new = sql_literal(file.grown_from), sql_literal(file.file_hash) -%}
        {%- do statements.append('delete from ' ~ parts ~ ' where file_hash = ' ~ new) -%}
        {%- do statements.append('insert into ' ~ parts ~ ' select ' ~ new ~ ', part_hash, first_row_number from '
            ~ parts ~ ' where file_hash = ' ~ old) -%}
        {#- A content that never grew is its own one part. -#}
        {%- do statements.append('insert into ' ~ parts ~ ' select ' ~ new ~ ', ' ~ old ~ ', 1 where not exists '
            ~ '(select 1 from ' ~ parts ~ ' where file_hash = ' ~ new ~ ')') -%}
        {%- do statements.append('insert into ' ~ parts ~ ' values (' ~ new ~ ', ' ~ new ~ ', '
            ~ (file.old_rows + 1) ~ ')') -%}
    {%- endfor -%}
    {#- A content parsed whole by this build has no rows stored under its hash but those of a part it was (its rows
        after the first: the rows before it were another content's): they go, before its rows come. -#}
    {%- if keeps_event_state() -%}
        {%- do statements.append('delete from ' ~ relation ~ ' where file_hash in '
            ~ in_list(event_contents_to_parse(relation))) -%}
    {%- endif -%}
    {{- return(statements | join(';\n')) -}}
{%- endmacro %}
