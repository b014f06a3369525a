{#- A file that grew: the events export re-delivered whole each day, yesterday's bytes with the new rows after them.
    Known by its content it would be new content, parsed and checked in full; instead it keeps what was parsed and
    checked of the content it grew from, and only its new rows are parsed and checked. DuckDB, folder mode only
    (Spark and seed mode read a changed file whole).

    A file grew from content H_old when, under the same path in the raw folder (file_key), the build last parsed
    H_old (raw.raw_app_events__parsed_listing, written with the rows it describes), H_old ended with a line feed
    (its last row was whole; where the content last parsed there ended in the middle of a row, H_old is the
    content that one grew from: parsed_whole_rows), and the file now is longer and its first bytes, as many as
    H_old had, hash to H_old (one pass over the file: with_content_hashes). Its first rows are then H_old's rows,
    numbered the same. Anything else (a file changed in its old part, shorter, a header changed, a last row cut
    short with nothing whole parsed before it, a file renamed) is new content, as before.

    stg_app__events parses only the rows after them, under the new hash, and leaves the old rows where they are,
    under the hash of the content that first held them: raw.raw_app_events__file_parts lists each grown file's
    parts (record_grown_files, a pre-hook in the transaction of the insert: a build killed between the two leaves
    neither), and int_event_files lists each part as a row of the file, so the models downstream read a grown file's
    rows as its own. Nothing stored is rewritten: a file that grows each day costs its new rows, whatever its size.
    The lineage (raw.raw_app_events__file_lineage, H_old -> new hash) follows the ledger's rows to the grown file
    where the old rows are parsed again after all (--full-refresh, other rules: sent_event_rows). -#}

{#- The files of this build that grew from content stg_app__events holds: [{file_hash, grown_from, old_rows}],
    old_rows the rows stored of grown_from (all its parts), which become the file's first rows. Only where the rows
    are really there under today's rules, the new content is not parsed yet, and the old content is no longer a
    current file (its rows then stay its own). One grown file per old content. -#}
{% macro grown_event_files(relation) -%}
    {%- if not execute or target.type == 'spark' or not raw_dir() or not keeps_event_state() -%}
        {{- return([]) -}}
    {%- endif -%}
    {%- set listed = run_query('select file_hash, grown_from_hash from ' ~ ref('stg_app__event_files')
        ~ ' where file_copy = 1 order by file_order') -%}
    {%- set current = listed.columns[0].values() | list -%}
    {%- set parsed = event_contents_parsed(relation, current + (listed.columns[1].values() | reject('none') | list),
        current) -%}
    {%- set parts = event_file_parts() -%}
    {%- set grown = [] -%}
    {%- set taken = [] -%}
    {%- for row in listed if row[1] and row[0] not in parsed and row[1] in parsed and row[1] not in current
        and row[1] not in taken -%}
        {%- do taken.append(row[1]) -%}
        {%- do grown.append({'file_hash': row[0], 'grown_from': row[1],
            'old_rows': stored_file_rows(relation, row[1], parts, event_rules_version('parsed'))}) -%}
    {%- endfor -%}
    {{- return(grown) -}}
{%- endmacro %}
