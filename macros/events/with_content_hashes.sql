{#- Each file with its content's SHA-256, which copy of that content it is (1 for the first file with these bytes,
    2 for the next...) and its size in bytes, in the order given; on DuckDB also whether its last byte is a line
    feed, and grown_from: the hash of the file's earlier content where it grew by appending (a file may carry
    `previous`, {hash, bytes}, the content last parsed under its key: macro with_parsed_content). trust_kept: whether
    a hash kept from an earlier build may stand for a file whose stamp did not change (DuckDB). -#}
{% macro with_content_hashes(files, trust_kept=true) -%}
    {{- return(adapter.dispatch('with_content_hashes', 'totango_feed')(files, trust_kept)) -}}
{%- endmacro %}

{#- hashlib through the UDF totango_files_sha256_with_prefix (totango_feed/duckdb_functions.py: several times
    DuckDB's own sha256 over read_blob), which hashes a file's first `previous.bytes` bytes in the same pass: the
    file grew from the previous content when they hash to previous.hash. A file whose stamp is the one kept with its
    hash in audit.file_hashes is not read (totango_feed/hash_cache.py), unless trust_kept is false (a check that
    the bytes did not change) or the build is a --full-refresh; every file read is kept for the next build. -#}
{% macro duckdb__with_content_hashes(files, trust_kept) -%}
    {%- if not files -%}{{- return([]) -}}{%- endif -%}
    {%- set literals = [] -%}
    {%- set prefixes = [] -%}
    {%- for file in files -%}
        {%- do literals.append(sql_literal(file.path)) -%}
        {%- set previous = file.get('previous') -%}
        {%- do prefixes.append(previous.bytes | int if previous else 'null') -%}
    {%- endfor -%}
    {#- The table of kept hashes, made again where the database has one of another shape (hash_cache.table_sql). -#}
    {%- set found_columns = run_query('select totango_file_hashes_found_columns_sql()').rows[0][0] -%}
    {%- do run_query(run_query('select totango_file_hashes_table_sql((' ~ found_columns ~ '))').rows[0][0]) -%}
    {%- set kept = '(select coalesce(list(to_json(kept)::varchar), []) from audit.file_hashes as kept '
        ~ 'where kept.path in (select place from (' ~ file_places_sql(files) ~ ')))'
        if trust_kept and not flags.FULL_REFRESH else '[]::varchar[]' -%}
    {%- do run_query('create or replace temporary table totango_hashed_files as select '
        ~ 'unnest(totango_files_sha256_with_prefix([' ~ literals | join(', ') ~ '], [' ~ prefixes | join(', ')
        ~ ']::bigint[], ' ~ kept ~ ')) as hashed, unnest(range(' ~ files | length ~ ')) as position') -%}
    {%- do run_query('delete from audit.file_hashes where path in (select hashed.entry.path from '
        ~ 'totango_hashed_files where hashed.entry is not null)') -%}
    {%- do run_query('insert into audit.file_hashes by name select unnest(hashed.entry) from totango_hashed_files '
        ~ 'where hashed.entry is not null') -%}
    {%- set hashed = run_query('select hashed.file_hash, hashed.prefix_hash, hashed.ends_with_newline, hashed.size '
        ~ 'from totango_hashed_files order by position') -%}
    {%- do run_query('drop table totango_hashed_files') -%}
    {%- set result = [] -%}
    {%- set copies = {} -%}
    {%- for file in files -%}
        {%- set hash, prefix_hash, ends_with_newline, size = hashed.rows[loop.index0] -%}
        {%- set previous = file.get('previous') -%}
        {%- do copies.update({hash: copies.get(hash, 0) + 1}) -%}
        {%- do result.append({'path': file.path, 'name': file.name, 'key': file.get('key'), 'hash': hash,
            'file_copy': copies[hash], 'bytes': size, 'ends_with_newline': ends_with_newline,
            'grown_from': previous.hash if previous and prefix_hash == previous.hash else none}) -%}
    {%- endfor -%}
    {{- return(result) -}}
{%- endmacro %}

{#- On Spark: the SHA-256 of each file read by Spark itself (binaryFile: a file's bytes as one value, at most 2 GB),
    its size from the same listing. Spark reads a grown file whole again: no grown_from. No hash is kept: every
    file is read. -#}
{% macro spark__with_content_hashes(files, trust_kept) -%}
    {%- set result = [] -%}
    {%- set copies = {} -%}
    {%- for file in files -%}
        {%- do run_query("create or replace temporary view totango_hashed_file using binaryFile options (path "
            ~ sql_literal(file.path) ~ ")") -%}
        {%- set hashed = run_query('select sha2(content, 256), length from totango_hashed_file') -%}
        {%- set hash = hashed.rows[0][0] -%}
        {%- do copies.update({hash: copies.get(hash, 0) + 1}) -%}
        {%- do result.append({'path': file.path, 'name': file.name, 'key': file.get('key'), 'hash': hash,
            'file_copy': copies[hash], 'bytes': hashed.rows[0][1], 'ends_with_newline': none, 'grown_from': none}) -%}
    {%- endfor -%}
    {{- return(result) -}}
{%- endmacro %}
