{#- A file that grew: the events export re-delivered whole each day, yesterday's bytes with the new rows after them.
    Known by its content it would be new content, parsed and checked in full; instead it keeps what was parsed and
    checked of the content it grew from, and only its new rows are parsed and checked. DuckDB, folder mode only
    (Spark and seed mode read a changed file whole).

    A file grew from content H_old when, under the same path in the raw folder (file_key), the build last parsed
    H_old (raw.raw_app_events__parsed_listing, written with the rows it describes), H_old ended with a line feed
    (its last row was whole), and the file now is longer and its first bytes, as many as H_old had, hash to H_old
    (one pass over the file: with_content_hashes). Its first rows are then H_old's rows, numbered the same. Anything
    else (a file changed in its old part, shorter, a header changed, H_old's last row cut short, a file renamed) is
    new content, as before.

    stg_app__events re-labels the rows stored under H_old to the new hash and parses the rows after them
    (relabel_grown_parsed_files, in the transaction of its insert: a build killed between the two leaves neither);
    it records H_old -> new hash in raw.raw_app_events__file_lineage, which int_events_checked follows to re-label
    its own rows (relabel_grown_checked_files) and the ledger's rows (sent_event_rows). -#}

{% macro event_file_state(what) -%}
    {{- return('raw.' ~ content_keyed_export() ~ '__' ~ what) -}}
{%- endmacro %}

{% macro event_file_state_exists(what) -%}
    {{- return(table_exists(api.Relation.create(database=target.database, schema='raw',
        identifier=content_keyed_export() ~ '__' ~ what))) -}}
{%- endmacro %}

{#- on-run-start (DuckDB): each file with `previous`, {hash, bytes}, the content stg_app__events last parsed under
    the file's path, where that content ended with a line feed; with_content_hashes tells whether the file grew
    from it. Read from the parsed listing, not from the last listing: a run that parses nothing (`dbt test`, a run
    of other models) rewrites the listing but not what was parsed. -#}
{% macro with_parsed_content(files) -%}
    {%- if not event_file_state_exists('parsed_listing') -%}{{- return(files) -}}{%- endif -%}
    {%- set parsed = {} -%}
    {%- for row in run_query('select file_key, file_hash, byte_count from ' ~ event_file_state('parsed_listing')
        ~ ' where ends_with_newline and byte_count is not null and file_key is not null') -%}
        {%- do parsed.update({row[0]: {'hash': row[1], 'bytes': row[2]}}) -%}
    {%- endfor -%}
    {%- set result = [] -%}
    {%- for file in files -%}
        {%- do result.append(dict(file, previous=parsed.get(file.key))) -%}
    {%- endfor -%}
    {{- return(result) -}}
{%- endmacro %}

{#- Post-hook of stg_app__events (DuckDB, folder mode): the listing it parsed, kept until it parses again. -#}
{% macro remember_parsed_listing() -%}
    {%- if target.type == 'spark' or not raw_dir() or model.resource_type == 'unit_test' -%}
        {{- return('select 1') -}}
    {%- endif -%}
    create or replace table {{ event_file_state('parsed_listing') }} as
    select file_key, file_hash, byte_count, ends_with_newline
    from {{ source('raw_files', 'raw_app_events__file_listing') }}
{%- endmacro %}

{#- The files of this build that grew from content stg_app__events holds: [{file_hash, grown_from, old_rows}],
    old_rows the rows stored under grown_from, which become the file's first rows. Only where the rows are really
    there under today's rules, the new content is not parsed yet, and the old content is no longer a current file
    (its rows then stay its own). One grown file per old content. -#}
{% macro grown_event_files(relation) -%}
    {%- if not execute or target.type == 'spark' or not raw_dir() or not keeps_event_state() -%}
        {{- return([]) -}}
    {%- endif -%}
    {%- set listed = run_query('select file_hash, grown_from_hash from ' ~ ref('stg_app__event_files')
        ~ ' where file_copy = 1 order by file_order') -%}
    {%- set current = listed.columns[0].values() | list -%}
    {%- set parsed = distinct_values(relation, 'file_hash', 'rules_version = '
        ~ sql_literal(event_rules_version('parsed'))) -%}
    {%- set grown = [] -%}
    {%- set taken = [] -%}
    {%- for row in listed if row[1] and row[0] not in parsed and row[1] in parsed and row[1] not in current
        and row[1] not in taken -%}
        {%- do taken.append(row[1]) -%}
        {%- set counted = run_query('select count(*) from ' ~ relation ~ ' where file_hash = ' ~ sql_literal(row[1])) -%}
        {%- do grown.append({'file_hash': row[0], 'grown_from': row[1], 'old_rows': counted.rows[0][0]}) -%}
    {%- endfor -%}
    {{- return(grown) -}}
{%- endmacro %}

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

{#- The lineage: {old hash: {new_hash, old_row_count}}, each old content to the latest content that grew from it. -#}
{% macro event_file_lineage() -%}
    {%- set lineage = {} -%}
    {%- if execute and target.type != 'spark' and event_file_state_exists('file_lineage') -%}
        {%- for row in run_query('select old_hash, new_hash, old_row_count from ' ~ event_file_state('file_lineage')) -%}
            {%- do lineage.update({row[0]: {'new_hash': row[1], 'old_row_count': row[2]}}) -%}
        {%- endfor -%}
    {%- endif -%}
    {{- return(lineage) -}}
{%- endmacro %}

{#- The key int_events_checked replaces rows by: an event id, or for a row without one, its place (file content,
    copy, row). chr(1) cannot be in a cleaned id (clean_text removes it). -#}
{% macro event_key(event_id, file_hash, file_copy, file_row_number) -%}
    coalesce(
        {{ event_id }},
        chr(1) || 'blank:' || {{ file_hash }} || ':' || cast({{ file_copy }} as {{ dbt.type_string() }}) || ':'
        || cast({{ file_row_number }} as {{ dbt.type_string() }})
    )
{%- endmacro %}

{#- Pre-hook of int_events_checked: the checked rows of each file copy that grew (event_check_plan's grown pairs)
    are re-labelled to the new hash, with the keys of rows without an event id, which name it. -#}
{% macro relabel_grown_checked_files(relation) -%}
    {%- set plan = event_check_plan(event_rules_version('checked')) -%}
    {%- if not plan.grown_pairs -%}{{- return('select 1') -}}{%- endif -%}
    {%- set statements = [] -%}
    {%- for pair in plan.grown_pairs -%}
        {%- do statements.append('update ' ~ relation ~ ' set file_hash = ' ~ sql_literal(pair.file_hash)
            ~ ', event_key = ' ~ event_key('event_id', sql_literal(pair.file_hash), 'file_copy', 'file_row_number')
            ~ ' where file_hash = ' ~ sql_literal(pair.old_hash) ~ ' and file_copy = ' ~ pair.file_copy) -%}
    {%- endfor -%}
    {{- return(statements | join(';\n')) -}}
{%- endmacro %}
