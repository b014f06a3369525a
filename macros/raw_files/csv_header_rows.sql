{#- The header row of each CSV file (macro csv_header_row), by path, read once per content: files is a list of
    {path, name, hash}. Each read is a DuckDB query that lets the reader find the number of fields from a sample of
    the file; one per day file made a daily build cost more with every file of the history (0.8 s of queries and
    about 2 s in all at 100 day files). So a row read from a file is kept in audit.csv_header_rows under the file's
    content hash and the reader (the dialect and DuckDB's version), and reused for any file of those bytes. A row
    is kept only when the file is shown unchanged after the read: its hash again, and the stamp kept with its hash
    the one kept when it was first hashed (macro kept_file_stamps). The hash alone passes a copy over the file that
    truncated it and wrote the same bytes back while its header was read: the row read mid-copy (none, half a
    header, another content's header) would then stand for those bytes in every later build; a file so written
    stops the build, naming it. --full-refresh trusts no kept row; a kept row that is
    not a header row is read again. -#}
{% macro csv_header_rows(files) -%}
    {%- if not files -%}{{- return({}) -}}{%- endif -%}
    {%- do prepare_csv_header_rows_table() -%}
    {#- The reader: what a row read depends on. 'line 1 checked': since the read refuses a blank line 1 (macro
        csv_header_row), rows kept before, which DuckDB's sniffer may have taken from line 2, are read again. -#}
    {%- set reader = csv_dialect() ~ ' / duckdb ' ~ run_query('select version()').rows[0][0]
        ~ ' / line 1 checked' -%}
    {%- set by_hash = {} -%}
    {%- if not flags.FULL_REFRESH -%}
        {%- set kept = run_query('select file_hash, header_row from audit.csv_header_rows where reader = '
            ~ sql_literal(reader) ~ ' and file_hash in ' ~ in_list(files | map(attribute='hash') | unique | list)) -%}
        {#- A row a read can give: a list of one or more names or blanks (a query has at least one column); never
            null, since the read refuses a file without rows (macro csv_header_row). A hash kept with two different
            rows stands for neither: it is read again. -#}
        {%- set conflicting = [] -%}
        {%- for file_hash, text in kept.rows -%}
            {%- set row = fromjson(text) if text is string else none -%}
            {%- set is_row = row is iterable and row is not string and row is not mapping and row | length > 0
                and row | reject('none') | reject('string') | list | length == 0 -%}
            {%- if is_row -%}
                {%- if file_hash in by_hash and by_hash[file_hash] != row -%}
                    {%- do conflicting.append(file_hash) -%}
                {%- endif -%}
                {%- do by_hash.update({file_hash: row}) -%}
            {%- endif -%}
        {%- endfor -%}
        {%- for file_hash in conflicting -%}{%- do by_hash.pop(file_hash, none) -%}{%- endfor -%}
    {%- endif -%}
    {%- set rows = {} -%}
    {%- set read = [] -%}
    {%- for file in files -%}
        {%- if file.hash not in by_hash -%}
            {%- do by_hash.update({file.hash: csv_header_row(file.path)}) -%}
            {%- do read.append(file) -%}
        {%- endif -%}
        {%- do rows.update({file.path: by_hash[file.hash]}) -%}
    {%- endfor -%}
    {#- audit.file_hashes still holds what the build's first hashing kept: the stamps before the reads. -#}
    {%- set stamps_before = kept_file_stamps(read) -%}
    {%- set again = [] -%}
    {%- for file in read -%}{%- do again.append({'path': file.path, 'name': file.name}) -%}{%- endfor -%}
    {%- set unchanged = [] -%}
    {%- set hashed_again = with_content_hashes(again) -%}
    {%- set stamps_after = kept_file_stamps(again) -%}
    {%- for file in hashed_again -%}
        {%- set stamp_before = stamps_before[loop.index0] -%}
        {#- Written since the build hashed it: the row read may be another content's header (a copy over the file
            caught mid-way), under which this build would parse the file's bytes, and its rows count as parsed for
            good (the verification after the parse compares hashes only). The build stops, as that one does. -#}
        {%- if file.hash != read[loop.index0].hash
            or (stamp_before is not none and stamp_before != stamps_after[loop.index0]) -%}
            {%- do exceptions.raise_compiler_error(file.path ~ ' changed while the build read its header row (it '
                ~ 'was being written?): run the build again once the file is complete.') -%}
        {%- endif -%}
        {%- if stamp_before is not none -%}
            {%- do unchanged.append('(' ~ sql_literal(file.hash) ~ ', ' ~ sql_literal(reader) ~ ', '
                ~ sql_literal(tojson(by_hash[file.hash])) ~ ')') -%}
        {%- endif -%}
    {%- endfor -%}
    {%- if unchanged -%}
        {%- do run_query('delete from audit.csv_header_rows where reader = ' ~ sql_literal(reader)
            ~ ' and file_hash in ' ~ in_list(read | map(attribute='hash') | list)) -%}
        {%- do run_query('insert into audit.csv_header_rows values ' ~ unchanged | join(', ')) -%}
    {%- endif -%}
    {{- return(rows) -}}
{%- endmacro %}
