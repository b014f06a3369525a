{#- The raw layer on Spark (see register_raw_exports.sql). Spark reads the files itself, through an external table
    raw.<export>__files (a table over the files, which dropping leaves alone), under the view raw.<export> that
    staging reads: every column as text, the file a row came from, and its position, the file order Spark does
    not keep by itself (macro row_number_in_file_order), these two under names no export holds (macro
    raw_file_column). A view, since source() must name one relation in both modes; it passes the position on
    because a view does not pass on the _metadata of the table below it. -#}
{% macro spark__register_raw_exports(exports) -%}
    {%- do spark_ledger_mirror() -%}
    {%- set folder = spark_absolute_path(raw_dir()) -%}
    {%- set listing = spark_file_listing(folder) -%}
    {%- do run_query('create schema if not exists raw') -%}
    {%- for source in exports -%}
        {%- set layout = raw_export_layout(folder, source.name, listing) -%}
        {%- if source.name == content_keyed_export() -%}
            {%- do register_event_files(with_content_hashes(raw_export_files(layout))) -%}
        {%- endif -%}
        {%- set files_table = 'raw.' ~ source.name ~ '__files' -%}
        {#- A seed of an earlier seed-mode build is a table of that name: it goes. -#}
        {%- set existing = adapter.get_relation(database=none, schema='raw', identifier=source.name) -%}
        {%- if existing is not none and not existing.is_view -%}
            {%- do adapter.drop_relation(existing) -%}
        {%- endif -%}
        {%- do run_query('drop table if exists ' ~ files_table) -%}
        {%- if layout.format == 'csv' -%}
            {%- do run_query('create table ' ~ files_table ~ ' using csv options ('
                ~ spark_csv_options(layout.pattern, layout.files[0]) ~ ')') -%}
        {%- else -%}
            {%- do run_query('create table ' ~ files_table ~ ' using parquet options (path '
                ~ sql_literal(layout.pattern) ~ ')') -%}
        {%- endif -%}
        {#- The table's top-level columns (a CSV folder's from its first file's header, each file's header checked
            against it), each as text; a nested Parquet column only where the build reads it, and then refused
            (macro read_flat_columns). -#}
        {%- set described = [] -%}
        {%- for row in run_query('describe ' ~ files_table) if row[0] and not row[0].startswith('#') -%}
            {%- do described.append({'name': row[0], 'type': row[1]}) -%}
        {%- endfor -%}
        {%- do refuse_unusable_headers(layout.pattern, described | map(attribute='name') | list) -%}
        {%- set columns = [] -%}
        {%- for column in read_flat_columns(layout.pattern, source.name, described) -%}
            {%- do columns.append(raw_value_as_text(quote_identifier(column.name), column.type) ~ ' as '
                ~ quote_identifier(column.name)) -%}
        {%- endfor -%}
        {#- File names come URL-encoded (a space is %20); a + stays a + (url_decode would make it a space). -#}
        {%- set file_name = "url_decode(replace(_metadata.file_name, '+', '%2B'))" -%}
        {%- do run_query(
            'create or replace view raw.' ~ source.name ~ ' as select ' ~ columns | join(', ') ~ ', '
            ~ (file_name if layout.is_folder else 'cast(null as string)') ~ ' as ' ~ raw_file_column('file') ~ ', '
            ~ "named_struct('file', " ~ file_name ~ ", 'block', _metadata.file_block_start, "
            ~ "'scan', monotonically_increasing_id()) as " ~ raw_file_column('position') ~ ' '
            ~ 'from ' ~ files_table) -%}
    {%- endfor -%}
{%- endmacro %}

{#- Seed mode: what a folder-mode build left in the seeds' place goes (a view would stop the seed loading). -#}
{% macro spark__clear_raw_exports(exports) -%}
    {%- do spark_ledger_mirror() -%}
    {%- for source in exports -%}
        {%- set existing = adapter.get_relation(database=none, schema='raw', identifier=source.name) -%}
        {%- if existing is not none and existing.is_view -%}
            {%- do adapter.drop_relation(existing) -%}
            {%- do run_query('drop table if exists raw.' ~ source.name ~ '__files') -%}
        {%- endif -%}
    {%- endfor -%}
{%- endmacro %}

{#- Spark has no glob function: the folder is listed once (every file below it, macro spark_file_listing), and an
    export's entries are those of that listing below the folder (relative to it). Spark, as Hadoop, never lists a
    name starting with . or _, nor a link to nothing or a named pipe. -#}
{% macro spark__raw_export_entries(folder, export_name, listing) -%}
    {%- set entries = [] -%}
    {%- for path in listing if path.startswith(folder) -%}
        {%- do entries.append(path[folder | length:]) -%}
    {%- endfor -%}
    {{- return(entries) -}}
{%- endmacro %}

{% macro spark_file_listing(folder) -%}
    {%- do run_query("create or replace temporary view totango_raw_listing using binaryFile options (path "
        ~ sql_literal(folder) ~ ", recursiveFileLookup 'true')") -%}
    {#- Only the paths are read, not the files' content. A local file comes as file:/the/path. -#}
    {%- set paths = [] -%}
    {%- for row in run_query('select path from totango_raw_listing') -%}
        {%- do paths.append(row[0][5:] if row[0].startswith('file:/') and folder.startswith('/') else row[0]) -%}
    {%- endfor -%}
    {{- return(paths) -}}
{%- endmacro %}

{#- The raw folder as Spark must be given it. Spark resolves a relative table path against its warehouse, not the
    working directory: raw_dir() has made a relative folder absolute against the project, and a folder still
    relative (dbt run with a relative --project-dir) is refused with the reason. A URL (s3a://bucket/exports,
    hdfs://namenode/exports: a cluster's storage) is taken as it is. Hadoop reads some characters of a path as a
    pattern (and a colon in a local path as a scheme): a folder named with them is refused with the reason,
    instead of reading the wrong files. -#}
{% macro spark_absolute_path(path) -%}
    {%- set is_url = modules.re.match('^[A-Za-z][A-Za-z0-9+.-]*://', path) is not none -%}
    {%- if not is_url and not path.startswith('/') -%}
        {%- do exceptions.raise_compiler_error('The raw folder ' ~ path ~ ' is relative to the working directory, '
            ~ 'which Spark does not read paths from: give it as an absolute path, or run dbt with an absolute '
            ~ '--project-dir.') -%}
    {%- endif -%}
    {%- set absolute = path.rstrip('/') -%}
    {%- set checked = absolute.split('://', 1)[1] if is_url else absolute -%}
    {%- for character in ['[', ']', '{', '}', '*', '?', '\\'] + ([] if is_url else [':']) if character in checked -%}
        {%- do exceptions.raise_compiler_error('The raw folder ' ~ absolute ~ ' holds ' ~ character ~ ', which '
            ~ 'Spark (Hadoop) reads as part of a pattern or a scheme: rename or link the folder without it.') -%}
    {%- endfor -%}
    {{- return(absolute) -}}
{%- endmacro %}

{#- The options of Spark's CSV reader that read a file as DuckDB's read_csv does (macro csv_dialect), every one
    that could drop, add, move or alter a row stated: header, comma, RFC 4180 quoting (a quote doubled inside
    quotes, not \"), values over several lines, UTF-8 with or without a byte-order mark, every column as text (no
    schema inference), no comment character, white space around values kept, only an empty field is no value
    ("NULL" is text), and FAILFAST: a row with more or fewer fields than the header stops the build (Spark's
    default fills a short row with nulls and cuts a long one, in silence). The line separator is the file's own,
    from its first line (first_file: Windows, Unix, or CR alone as old Mac files end lines): given it, Spark keeps
    a line break inside a quoted value as it is written; left to guess, it rewrites \r\n there as \n, which
    DuckDB does not. enforceSchema off: Spark takes the columns of a folder's first file and would otherwise apply
    them by position to every file, reading a file whose columns come in another order into the wrong columns;
    so it checks each file's header, and a file whose columns differ stops the build (DuckDB reads such files by
    name). -#}
{% macro spark_csv_options(path, first_file=none) -%}
    {%- do run_query("create or replace temporary view totango_raw_first_line using text options (path "
        ~ sql_literal(first_file or path) ~ ", lineSep '\\n')") -%}
    {%- set first_line = run_query('select value from totango_raw_first_line limit 1') -%}
    {%- set line = first_line.rows[0][0] if first_line.rows | length > 0 else '' -%}
    {#- A file of CR line ends has no LF: its first "line" is the whole file, with a CR inside, not only at its end. -#}
    {%- set separator = '\\r' if '\r' in line[:-1] else ('\\r\\n' if line.endswith('\r') else '\\n') -%}
    path {{ sql_literal(path) }}, header 'true', sep ',', multiLine 'true', quote '"', escape '"',
    encoding 'UTF-8', enforceSchema 'false', inferSchema 'false', comment '', ignoreLeadingWhiteSpace 'false',
    ignoreTrailingWhiteSpace 'false', nullValue '', mode 'FAILFAST', unescapedQuoteHandling 'STOP_AT_DELIMITER',
    ignoreCorruptFiles 'false', lineSep '{{ separator }}'
{%- endmacro %}
