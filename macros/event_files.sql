{#- The files of the events export, each known by its content: the SHA-256 of its bytes, never its name, date or
    modification time. A build parses a file only when it has not parsed that content before (stg_app__events),
    so a daily build costs the new day's file, not the history: a renamed file costs nothing, a file rewritten in
    place is new content, a removed file's rows leave.

    on-run-start (macro register_raw_exports) calls register_event_files, which writes the listing
    raw.raw_app_events__file_listing (source raw_files.raw_app_events__file_listing): one row per file in name order, with its
    hash and size, in folder mode (in seed mode the seed table is the one "file": stg_app__event_files). -#}
{% macro content_keyed_export() -%}raw_app_events{%- endmacro %}

{#- The files of a layout (macro raw_export_layout, which lists them once for both engines) in name order:
    [{path, name}], name the file's name where the export is a folder of files (null for a single file: its rows are
    named by row number alone, as a seed's are). -#}
{% macro raw_export_files(layout) -%}
    {%- set files = [] -%}
    {%- for path in layout.files -%}
        {%- do files.append({'path': path, 'name': path.split('/')[-1] if layout.is_folder else none}) -%}
    {%- endfor -%}
    {{- return(files) -}}
{%- endmacro %}

{#- Spark: the new files of the events export, read here for stg_app__events as tables over each file, one per file
    (a filter on a hash would not keep Spark from reading every file): a select of their rows, each file's rows
    numbered in file order, with the raw view's columns (the file's hash and row number under raw_file_column's
    names). files: [{path, name, hash}], CSV or Parquet as the layout says. -#}
{% macro spark_new_event_rows(files) -%}
    {%- set layout = raw_export_layout(spark_absolute_path(raw_dir()), content_keyed_export(),
        spark_file_listing(spark_absolute_path(raw_dir()))) if files else none -%}
    {#- The export's own headers of the contract's columns (var raw_column_names), the same in every branch. -#}
    {%- set mapping = (var('raw_column_names', {}) or {}).get(content_keyed_export(), {}) or {} -%}
    {%- set source_id = 'source.' ~ project_name ~ '.app.' ~ content_keyed_export() -%}
    {%- set headers = [] -%}
    {%- for column in graph.sources[source_id].columns.values() -%}
        {%- set header = mapping.get(column.name, column.name) -%}
        {%- if header is not none -%}{%- do headers.append(header) -%}{%- endif -%}
    {%- endfor -%}
    {%- set selects = [] -%}
    {%- for file in files -%}
        {#- A table over the file, not a temporary view: only a table passes on the _metadata that numbers the
            rows in file order. Dropping it leaves the file alone. -#}
        {%- set view = 'raw.' ~ content_keyed_export() ~ '__new_file_' ~ loop.index -%}
        {%- do run_query('drop table if exists ' ~ view) -%}
        {%- set columns = [] -%}
        {%- if layout.format == 'csv' -%}
            {%- do run_query('create table ' ~ view ~ ' using csv options ('
                ~ spark_csv_options(file.path) ~ ')') -%}
            {%- for header in headers -%}{%- do columns.append(quote_identifier(header)) -%}{%- endfor -%}
        {%- else -%}
            {%- do run_query('create table ' ~ view ~ ' using parquet options (path '
                ~ sql_literal(file.path) ~ ')') -%}
            {%- set types = {} -%}
            {%- for row in run_query('describe ' ~ view) if row[0] and not row[0].startswith('#') -%}
                {%- do types.update({row[0]: row[1]}) -%}
            {%- endfor -%}
            {%- for header in headers -%}
                {%- do columns.append(raw_value_as_text(quote_identifier(header), types.get(header, 'string'))
                    ~ ' as ' ~ quote_identifier(header)) -%}
            {%- endfor -%}
        {%- endif -%}
        {%- do selects.append('select ' ~ columns | join(', ') ~ ', '
            ~ (sql_literal(file.name) if file.name is not none else 'cast(null as string)') ~ ' as '
            ~ raw_file_column('file') ~ ', ' ~ sql_literal(file.hash) ~ ' as ' ~ raw_file_column('hash') ~ ', '
            ~ 'cast(row_number() over (order by _metadata.file_block_start, monotonically_increasing_id()) as '
            ~ 'bigint) as ' ~ raw_file_column('row') ~ ', 1 as ' ~ raw_file_column('copy') ~ ' from ' ~ view) -%}
    {%- endfor -%}
    {%- if not selects -%}
        {#- No new file: no row, in the same columns (the raw view over every file has none of the build's). -#}
        {%- set nulls = [] -%}
        {%- for header in headers -%}{%- do nulls.append('cast(null as string) as ' ~ quote_identifier(header)) -%}{%- endfor -%}
        {%- do selects.append('select ' ~ nulls | join(', ') ~ ', cast(null as string) as ' ~ raw_file_column('file')
            ~ ', cast(null as string) as ' ~ raw_file_column('hash') ~ ', cast(null as bigint) as '
            ~ raw_file_column('row') ~ ', 1 as ' ~ raw_file_column('copy') ~ ' where 1 = 0') -%}
    {%- endif -%}
    {{- return(selects | join(' union all ')) -}}
{%- endmacro %}

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

{#- The listing raw.raw_app_events__file_listing, rebuilt by every build that changes tables. -#}
{% macro register_event_files(files) -%}
    {%- set values = [] -%}
    {%- for file in files -%}
        {%- do values.append('(' ~ loop.index ~ ', ' ~ (sql_literal(file.name) if file.name is not none
            else 'cast(null as ' ~ dbt.type_string() ~ ')') ~ ', ' ~ sql_literal(file.path) ~ ', '
            ~ sql_literal(file.hash) ~ ', ' ~ (file.bytes if file.bytes is not none else 'cast(null as bigint)')
            ~ ')') -%}
    {%- endfor -%}
    {%- do run_query('create schema if not exists raw') -%}
    {%- do run_query('drop table if exists raw.' ~ content_keyed_export() ~ '__file_listing') -%}
    {%- do create_table_as_select('raw.' ~ content_keyed_export() ~ '__file_listing', 'select * from (values '
        ~ values | join(', ') ~ ') as listed (file_order, file_name, file_path, file_hash, byte_count)') -%}
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

{#- A table made from a select, as each engine stores one (Spark: Parquet, as every table here). -#}
{% macro create_table_as_select(relation_name, select_sql) -%}
    {%- if target.type == 'spark' -%}
        {%- do run_query('create table ' ~ relation_name ~ ' using parquet as ' ~ select_sql) -%}
    {%- else -%}
        {%- do run_query('create table ' ~ relation_name ~ ' as ' ~ select_sql) -%}
    {%- endif -%}
{%- endmacro %}

{#- The files to parse for these hashes: the first file (by name) of each, from the listing. -#}
{% macro new_event_files(hashes) -%}
    {%- if not hashes -%}{{- return([]) -}}{%- endif -%}
    {%- set listed = run_query('select file_path, file_name, file_hash from raw.' ~ content_keyed_export()
        ~ '__file_listing where file_hash in ' ~ in_list(hashes) ~ ' order by file_order') -%}
    {%- set files = [] -%}
    {%- set seen = [] -%}
    {%- for row in listed if row[2] not in seen -%}
        {%- do seen.append(row[2]) -%}
        {%- do files.append({'path': row[0], 'name': row[1], 'hash': row[2]}) -%}
    {%- endfor -%}
    {{- return(files) -}}
{%- endmacro %}

{#- A hash of the rows a table holds, in their stored order (a scalar subquery): in seed mode, the identity of the
    events seed's content. -#}
{% macro table_content_hash(relation) -%}
    {{- return(adapter.dispatch('table_content_hash', 'totango_feed')(relation)) -}}
{%- endmacro %}

{% macro default__table_content_hash(relation) -%}
    (
        select md5(coalesce(string_agg(cast(to_json(seed_rows) as varchar), chr(10) order by seed_rows.rowid), ''))
        from {{ relation }} as seed_rows
    )
{%- endmacro %}

{#- Spark: a Parquet table's rows in order are its files by name, each row by its place (macro stored_position). -#}
{% macro spark__table_content_hash(relation) -%}
    (
        select
            sha2(coalesce(array_join(transform(array_sort(collect_list(named_struct(
                'file', seed_rows._metadata.file_name, 'row', seed_rows._metadata.row_index,
                'value', to_json(struct(seed_rows.*))
            ))), row -> row.value), char(10)), ''), 256)
        from {{ relation }} as seed_rows
    )
{%- endmacro %}
