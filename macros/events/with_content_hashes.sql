{#- Each file with its content's SHA-256, which copy of that content it is (1 for the first file with these bytes,
    2 for the next...) and its size in bytes, in the order given. -#}
{% macro with_content_hashes(files) -%}
    {{- return(adapter.dispatch('with_content_hashes', 'totango_feed')(files)) -}}
{%- endmacro %}

{#- hashlib through the UDF totango_files_sha256 (totango_feed/duckdb_functions.py: several times DuckDB's own
    sha256 over read_blob); the sizes from read_blob, which reads no content for them. -#}
{% macro duckdb__with_content_hashes(files) -%}
    {%- set literals = [] -%}
    {%- set patterns = [] -%}
    {%- for file in files -%}
        {%- do literals.append(sql_literal(file.path)) -%}
        {%- do patterns.append(sql_literal(glob_escape(file.path))) -%}
    {%- endfor -%}
    {%- set hashed = run_query('select unnest(totango_files_sha256([' ~ literals | join(', ') ~ '])) as file_hash') -%}
    {%- set sizes = run_query('select filename, size from read_blob([' ~ patterns | join(', ') ~ '])') -%}
    {%- set size_of = {} -%}
    {%- for row in sizes -%}
        {%- do size_of.update({row[0]: row[1]}) -%}
    {%- endfor -%}
    {%- set result = [] -%}
    {%- set copies = {} -%}
    {%- for file in files -%}
        {%- set hash = hashed.columns[0].values()[loop.index0] -%}
        {%- do copies.update({hash: copies.get(hash, 0) + 1}) -%}
        {%- do result.append({'path': file.path, 'name': file.name, 'hash': hash, 'file_copy': copies[hash],
            'bytes': size_of.get(file.path)}) -%}
    {%- endfor -%}
    {{- return(result) -}}
{%- endmacro %}

{#- On Spark: the SHA-256 of each file read by Spark itself (binaryFile: a file's bytes as one value, at most 2 GB),
    its size from the same listing. -#}
{% macro spark__with_content_hashes(files) -%}
    {%- set result = [] -%}
    {%- set copies = {} -%}
    {%- for file in files -%}
        {%- do run_query("create or replace temporary view totango_hashed_file using binaryFile options (path "
            ~ sql_literal(file.path) ~ ")") -%}
        {%- set hashed = run_query('select sha2(content, 256), length from totango_hashed_file') -%}
        {%- set hash = hashed.rows[0][0] -%}
        {%- do copies.update({hash: copies.get(hash, 0) + 1}) -%}
        {%- do result.append({'path': file.path, 'name': file.name, 'hash': hash, 'file_copy': copies[hash],
            'bytes': hashed.rows[0][1]}) -%}
    {%- endfor -%}
    {{- return(result) -}}
{%- endmacro %}
