{#- Each file with its content's SHA-256, which copy of that content it is (1 for the first file with these bytes,
    2 for the next...) and its size in bytes, in the order given; on DuckDB also whether its last byte is a line
    feed, and grown_from: the hash of the file's earlier content where it grew by appending (a file may carry
    `previous`, {hash, bytes}, the content last parsed under its key: macro with_parsed_content). -#}
{% macro with_content_hashes(files) -%}
    {{- return(adapter.dispatch('with_content_hashes', 'totango_feed')(files)) -}}
{%- endmacro %}

{#- hashlib through the UDF totango_files_sha256_with_prefix (totango_feed/duckdb_functions.py: several times
    DuckDB's own sha256 over read_blob), which hashes a file's first `previous.bytes` bytes in the same pass: the
    file grew from the previous content when they hash to previous.hash. The sizes from read_blob, which reads no
    content for them. -#}
{% macro duckdb__with_content_hashes(files) -%}
    {%- set literals = [] -%}
    {%- set patterns = [] -%}
    {%- set prefixes = [] -%}
    {%- for file in files -%}
        {%- do literals.append(sql_literal(file.path)) -%}
        {%- do patterns.append(sql_literal(glob_escape(file.path))) -%}
        {%- set previous = file.get('previous') -%}
        {%- do prefixes.append(previous.bytes | int if previous else 'null') -%}
    {%- endfor -%}
    {%- set hashed = run_query('select hashed.file_hash, hashed.prefix_hash, hashed.ends_with_newline from (select '
        ~ 'unnest(totango_files_sha256_with_prefix([' ~ literals | join(', ') ~ '], [' ~ prefixes | join(', ')
        ~ ']::bigint[])) as hashed)') -%}
    {%- set sizes = run_query('select filename, size from read_blob([' ~ patterns | join(', ') ~ '])') -%}
    {%- set size_of = {} -%}
    {%- for row in sizes -%}
        {%- do size_of.update({row[0]: row[1]}) -%}
    {%- endfor -%}
    {%- set result = [] -%}
    {%- set copies = {} -%}
    {%- for file in files -%}
        {%- set hash, prefix_hash, ends_with_newline = hashed.rows[loop.index0] -%}
        {%- set previous = file.get('previous') -%}
        {%- do copies.update({hash: copies.get(hash, 0) + 1}) -%}
        {%- do result.append({'path': file.path, 'name': file.name, 'key': file.get('key'), 'hash': hash,
            'file_copy': copies[hash], 'bytes': size_of.get(file.path), 'ends_with_newline': ends_with_newline,
            'grown_from': previous.hash if previous and prefix_hash == previous.hash else none}) -%}
    {%- endfor -%}
    {{- return(result) -}}
{%- endmacro %}

{#- On Spark: the SHA-256 of each file read by Spark itself (binaryFile: a file's bytes as one value, at most 2 GB),
    its size from the same listing. Spark reads a grown file whole again: no grown_from. -#}
{% macro spark__with_content_hashes(files) -%}
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
