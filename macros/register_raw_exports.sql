{#- on-run-start, folder mode: a view raw.<export> over the files of each raw export in the folder raw_dir(),
    every column as text, with a column named by raw_file_column('file') naming the file each row came from where
    the export is a folder of files (null for a single file, so that a seed, a CSV file and a Parquet file of the
    same rows give the same output; staging reads it as source_file). Staging reads these views through
    source(), as it reads the seeds in seed mode (the seeds are off in folder mode). The exports are the tables
    of the sources crm and app; each must be present in exactly one of the layouts of var raw_export_layouts
    (check_exports.py reads the same list). A path reaches SQL only as a quoted literal. In seed mode it removes
    what an earlier folder-mode build left in the seeds' place. -#}
{% macro register_raw_exports() -%}
    {%- if execute -%}
        {%- do retire_older_event_tables() -%}
        {%- set exports = graph.sources.values() | selectattr('source_name', 'in', ['crm', 'app']) | list -%}
        {%- if raw_dir() -%}
            {{- return(adapter.dispatch('register_raw_exports', 'totango_feed')(exports)) -}}
        {%- else -%}
            {{- return(adapter.dispatch('clear_raw_exports', 'totango_feed')(exports)) -}}
        {%- endif -%}
    {%- endif -%}
{%- endmacro %}

{#- Seed mode: views an earlier folder-mode build left in their place would stop the seeds loading. -#}
{% macro default__clear_raw_exports(exports) -%}
    {%- for source in exports %}
        {%- set existing = adapter.get_relation(database=target.database, schema='raw', identifier=source.name) %}
        {%- if existing is not none and existing.is_view %}
            {%- do adapter.drop_relation(existing) %}
        {%- endif %}
    {%- endfor %}
    {%- do adapter.commit() %}
{%- endmacro %}

{% macro duckdb__register_raw_exports(exports) -%}
        create schema if not exists raw;
        {%- for source in exports %}
            {%- set layout = raw_export_layout(raw_dir(), source.name) %}
            {#- A seed of an earlier seed-mode build is a table of that name: it goes. (The catalog is read with
                run_query, not adapter.get_relation, which would leave a transaction open around this hook.) -#}
            {%- set tables = run_query("select count(*) from duckdb_tables() where schema_name = 'raw' and "
                ~ "table_name = " ~ sql_literal(source.name)) %}
            {%- if tables.columns[0].values()[0] > 0 %}
        drop table raw.{{ source.name }};
            {%- endif %}
            {%- set files = raw_export_files(layout) %}
            {%- set content_keyed = source.name == content_keyed_export() %}
            {%- if content_keyed %}
                {%- set files = with_content_hashes(files) %}
                {%- do register_event_files(files) %}
            {%- endif %}
        create or replace view raw.{{ source.name }} as
            {%- for file in files %}
        select
            *,
            {{ sql_literal(file.name) if file.name is not none else 'null::varchar' }} as {{ raw_file_column('file') }}
            {%- if content_keyed %},
            {{ sql_literal(file.hash) }} as {{ raw_file_column('hash') }},
            {{ file.file_copy }} as {{ raw_file_column('copy') }}
            {%- endif %}
        from (
            select
                {%- if content_keyed %}
                row_number() over () as {{ raw_file_column('row') }},
                {%- endif %}
                *
            from {{ raw_file_reader(file.path, layout, source.name) }}
        ) as {{ 'file_' ~ loop.index }}
        {{ 'union all by name' if not loop.last }}
            {%- endfor %};
        {%- endfor %}
{%- endmacro %}

{#- Which of the layouts of an export (var raw_export_layouts) is present in the folder: exactly one must be.
    Returns {format, pattern, is_folder, files}: files, every file of the layout in name order. Names starting
    with . or _ (at any level below the folder) are hidden, and ignored, as Spark and Hadoop ignore them (a macOS
    ._ copy, an upload's temporary file, Spark's _SUCCESS and .crc files); check_exports.py ignores them too. Any
    other entry of an export's folder that the layout does not read (a day3.CSV, a sub-folder's file) stops the
    build with its name, as it stops the check, instead of being left out. listing: the folder's files, for an
    engine that lists them once (raw_export_entries). -#}
{% macro raw_export_layout(folder, export_name, listing=none) -%}
    {%- if '\\' in folder -%}
        {#- No glob pattern can match a backslash in a path: DuckDB reads it as an escape. -#}
        {%- do exceptions.raise_compiler_error('The raw folder ' ~ folder ~ ' holds a backslash, which the engine '
            ~ 'reads as part of a file pattern: rename or link the folder without it.') -%}
    {%- endif -%}
    {%- set folder = folder.rstrip('/') ~ '/' -%}
    {%- set visible = [] -%}
    {%- for entry in raw_export_entries(folder, export_name, listing)
        if not modules.re.search('(^|/)[._]', entry) -%}
        {%- do visible.append(entry) -%}
    {%- endfor -%}
    {%- set present = [] -%}
    {%- for layout in var('raw_export_layouts') -%}
        {%- set relative = layout.pattern | replace('{name}', export_name) -%}
        {%- set pattern = '^' ~ (modules.re.escape(relative) | replace('\\*', '[^/]*')) ~ '$' -%}
        {%- set matched = [] -%}
        {%- for entry in visible | sort if modules.re.match(pattern, entry) -%}
            {%- do matched.append(entry) -%}
        {%- endfor -%}
        {%- if matched -%}
            {%- set files = [] -%}
            {%- for entry in matched -%}{%- do files.append(folder ~ entry) -%}{%- endfor -%}
            {%- do present.append({'format': layout.format, 'pattern': glob_escape(folder) ~ relative,
                'is_folder': '/' in relative, 'directory': relative.rpartition('/')[0], 'matched': matched,
                'files': files, 'path': folder ~ relative}) -%}
        {%- endif -%}
    {%- endfor -%}
    {%- if present | length != 1 -%}
        {%- do exceptions.raise_compiler_error(
            export_name ~ ": the folder " ~ folder ~ " must hold exactly one of "
            ~ (var('raw_export_layouts') | map(attribute='pattern') | join(', ') | replace('{name}', export_name))
            ~ "; found " ~ (present | map(attribute='pattern') | join(', ') if present else 'none')
            ~ ". Run check_exports.py for details.") -%}
    {%- endif -%}
    {%- set layout = present[0] -%}
    {%- for entry in visible if layout.is_folder and entry.startswith(layout.directory ~ '/')
        and entry not in layout.matched -%}
        {%- do exceptions.raise_compiler_error(folder ~ entry ~ ': not read: the ' ~ layout.directory ~ '/ folder '
            ~ 'must hold only .csv or only .parquet files (lower-case endings, no sub-folders; names starting with '
            ~ '. or _ are ignored); rename or move it away. Run check_exports.py for details.') -%}
    {%- endfor -%}
    {{ return(layout) }}
{%- endmacro %}

{#- The files below the raw folder that may belong to an export, as paths relative to the folder: those of its
    single-file layouts, and every file of its folder and of the folders below that. -#}
{% macro raw_export_entries(folder, export_name, listing) -%}
    {{- return(adapter.dispatch('raw_export_entries', 'totango_feed')(folder, export_name, listing)) -}}
{%- endmacro %}

{#- DuckDB lists files only (a link to nothing, a named pipe or an empty sub-folder is not listed: check_exports.py
    names them), each found once by the file patterns it matches. -#}
{% macro default__raw_export_entries(folder, export_name, listing) -%}
    {%- set patterns = [] -%}
    {%- for layout in var('raw_export_layouts') -%}
        {%- set relative = layout.pattern | replace('{name}', export_name) -%}
        {%- set directory = relative.rpartition('/')[0] -%}
        {%- set found = [relative] if not directory else [directory ~ '/*', directory ~ '/*/*'] -%}
        {%- for pattern in found if pattern not in patterns -%}{%- do patterns.append(pattern) -%}{%- endfor -%}
    {%- endfor -%}
    {%- set globs = [] -%}
    {%- for pattern in patterns -%}
        {%- do globs.append('select file from glob(' ~ sql_literal(glob_escape(folder) ~ pattern) ~ ')') -%}
    {%- endfor -%}
    {%- set entries = [] -%}
    {%- for file in run_query(globs | join(' union ') ~ ' order by file').columns[0].values() -%}
        {%- do entries.append(file[folder | length:] if file.startswith(folder) else file) -%}
    {%- endfor -%}
    {{- return(entries) -}}
{%- endmacro %}

{#- The options of DuckDB's CSV reader that fix the dialect of a raw export (totango_feed/sql.py CSV_DIALECT says
    the same to the check), so that DuckDB guesses nothing that could drop, add, move or alter a row: comma,
    double quotes doubled inside, no comment character (a guessing reader took # for one and skipped every line
    starting with it), no line skipped, no short row padded, no bad row ignored, RFC 4180 quoting, a row at most
    2,000,000 bytes, only an empty field is no value ("NULL", "None" are text), UTF-8, and no column taken from a
    folder named key=value (hive partitioning would put that value in place of the file's own column). The line
    ending is left to DuckDB, which takes it from the first line and stops at a line ending otherwise: stated,
    one the file does not use makes DuckDB read no row at all, without an error. -#}
{% macro csv_dialect() -%}
    delim = ',', quote = '"', escape = '"', comment = '', skip = 0, null_padding = false, ignore_errors = false,
    strict_mode = true, max_line_size = 2000000, nullstr = '', encoding = 'utf-8', hive_partitioning = false
{%- endmacro %}

{#- The DuckDB table function that reads one raw file of a layout, every column as text, its rows in file order.
    The raw view reads each file by itself and puts the files together by column name: a later file of a folder may
    have a column the first one lacks (an attribute added to the export one day), or its columns in another order,
    and the files of a Parquet folder may differ in types (one day's id DOUBLE, the next day's VARCHAR; a number
    must become the same text whichever other files are read beside it). union all keeps the files' order. -#}
{% macro raw_file_reader(file, layout, export_name) -%}
    {%- if layout.format == 'csv' -%}
        {#- The file's own header names the columns; nothing of the file is detected. #}
        read_csv({{ sql_literal(glob_escape(file)) }}, auto_detect = false, header = true,
            columns = { {%- for name in csv_column_names(file) %}{{ sql_literal(name) }}: 'varchar'
                {{- ', ' if not loop.last }}{% endfor -%} },
            {{ csv_dialect() }})
    {%- else -%}
        (
            select
                {%- for column in parquet_read_columns(file, export_name) %}
                {{ raw_value_as_text(quote_identifier(column.name), column.type) }} as {{ quote_identifier(column.name) }}
                {{- ',' if not loop.last }}
                {%- endfor %}
            from read_parquet({{ sql_literal(glob_escape(file)) }}, hive_partitioning = false)
        )
    {%- endif -%}
{%- endmacro %}

{#- The column names of a CSV file, from its header row (the first row, read with the stated dialect; only the
    number of fields is left to DuckDB to find): a blank header (a trailing comma) is named by its position under
    a name of the build's own. Stops the build, naming the file and the headers, where a name cannot be told
    apart from another or from the build's own (macro refuse_unusable_headers). -#}
{% macro csv_column_names(file) -%}
    {%- set header = run_query('select * from read_csv(' ~ sql_literal(glob_escape(file)) ~ ', header = false, '
        ~ 'all_varchar = true, ' ~ csv_dialect() ~ ') limit 1') -%}
    {%- set names = [] -%}
    {%- for name in (header.rows[0] | list if header.rows else []) -%}
        {%- do names.append(name if name else '__totango_feed_blank_' ~ loop.index0) -%}
    {%- endfor -%}
    {%- do refuse_unusable_headers(file, header.rows[0] | reject('none') | list if header.rows else []) -%}
    {{- return(names) -}}
{%- endmacro %}

{#- DuckDB's column names ignore case: of two headers of one file that differ only in case (Account_Name and
    account_name), DuckDB cannot tell them apart, and staging's account_name could read the user's extra column.
    And a column named like the build's own (raw_file_column: names starting with __totango_feed_) cannot be told
    from it. Such a file stops the build here, naming the file and the headers (check_exports.py says the same
    before a build). names: the file's headers (CSV or Parquet). -#}
{% macro refuse_unusable_headers(file, names) -%}
    {%- set seen = {} -%}
    {%- for name in names if name -%}
        {%- set key = name | trim | lower -%}
        {%- if key.startswith('__totango_feed_') -%}
            {%- do exceptions.raise_compiler_error(file ~ ': the column ' ~ name ~ ' is named like the build\'s own '
                ~ 'columns (' ~ raw_file_column('file') ~ ', ' ~ raw_file_column('position') ~ ': names starting with '
                ~ '__totango_feed_); rename or remove it. Run check_exports.py for details.') -%}
        {%- endif -%}
        {%- if key in seen -%}
            {%- do exceptions.raise_compiler_error(file ~ ': the headers ' ~ seen[key] ~ ' and ' ~ name
                ~ (' are the same' if seen[key] == name else ' differ only in case') ~ ', and the build cannot '
                ~ 'tell them apart: rename or remove one of them, so that the build does not read the '
                ~ 'wrong column. Run check_exports.py for details.') -%}
        {%- endif -%}
        {%- do seen.update({key: name}) -%}
    {%- endfor -%}
{%- endmacro %}

{#- The top-level columns of a Parquet file, each {name, type} (DuckDB's types), that the view passes on
    (macro read_flat_columns). -#}
{% macro parquet_read_columns(file, export_name) -%}
    {%- set described = [] -%}
    {%- for row in run_query('describe select * from read_parquet(' ~ sql_literal(glob_escape(file))
        ~ ', hive_partitioning = false)') -%}
        {%- do described.append({'name': row[0], 'type': row[1]}) -%}
    {%- endfor -%}
    {%- do refuse_unusable_headers(file, described | map(attribute='name') | list) -%}
    {{- return(read_flat_columns(file, export_name, described)) -}}
{%- endmacro %}

{#- Of the top-level columns of a raw file (each {name, type}, the engine's types), those a view passes on: every
    flat column, and no nested one (a list, a struct or a map: tags, properties), which is an extra column nobody
    reads, except where the build reads it (a contract column or a custom attribute): that has no one text to
    send, and stops the build, naming the file and the column (check_exports.py refuses it too). -#}
{% macro read_flat_columns(file, export_name, described) -%}
    {%- set read = raw_export_read_headers(export_name) | map('lower') | list -%}
    {%- set columns = [] -%}
    {%- for column in described -%}
        {%- if not is_nested_type(column.type) -%}
            {%- do columns.append(column) -%}
        {%- elif column.name | lower in read -%}
            {%- do exceptions.raise_compiler_error(file ~ ': the column ' ~ column.name ~ ' is nested ('
                ~ column.type ~ ': a list, a struct or a map), which the build cannot send as one value; export '
                ~ 'it as text. Run check_exports.py for details.') -%}
        {%- endif -%}
    {%- endfor -%}
    {{- return(columns) -}}
{%- endmacro %}

{#- Whether an engine's type name is of a column holding more than one value: a list, a struct, a map (DuckDB's
    STRUCT(...), MAP(...), VARCHAR[]; Spark's struct<...>, array<...>, map<...>). -#}
{% macro is_nested_type(data_type) -%}
    {{- return(modules.re.search('^(struct|map|union|array)[(<]|\\]$', data_type | lower) is not none) -}}
{%- endmacro %}

{#- The headers of a raw export that the build reads: its contract columns under the user's names (var
    raw_column_names; one mapped to null is not read) and the columns of its custom attributes. -#}
{% macro raw_export_read_headers(export_name) -%}
    {%- set kinds = {'raw_crm_accounts': ['account'], 'raw_crm_subscriptions': ['product_account'],
        'raw_app_users': ['user']}.get(export_name, []) -%}
    {%- set mapping = (var('raw_column_names', {}) or {}).get(export_name, {}) or {} -%}
    {%- set headers = [] -%}
    {%- for source in graph.sources.values() if source.name == export_name -%}
        {%- for column in source.columns -%}
            {%- set header = mapping.get(column, column) -%}
            {%- if header is string -%}{%- do headers.append(header) -%}{%- endif -%}
        {%- endfor -%}
    {%- endfor -%}
    {%- for kind in kinds -%}
        {%- for attribute in custom_attributes(kind) if attribute.column is string -%}
            {%- do headers.append(attribute.column) -%}
        {%- endfor -%}
    {%- endfor -%}
    {{- return(headers) -}}
{%- endmacro %}
