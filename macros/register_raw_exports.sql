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
    {%- do register_event_files(with_content_hashes([seed_file(content_keyed_export())])) %}
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
            {%- do refuse_headers_differing_in_case(layout) %}
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
            from {{ raw_file_reader(file.path, layout.format) }}
        ) as {{ 'file_' ~ loop.index }}
        {{ 'union all by name' if not loop.last }}
            {%- endfor %};
        {%- endfor %}
{%- endmacro %}

{#- Which of the layouts of an export (var raw_export_layouts) is present in the folder: exactly one must be.
    listing: the folder's files, for an engine that lists them once (raw_files_match). -#}
{% macro raw_export_layout(folder, export_name, listing=none) -%}
    {%- if '\\' in folder -%}
        {#- No glob pattern can match a backslash in a path: DuckDB reads it as an escape. -#}
        {%- do exceptions.raise_compiler_error('The raw folder ' ~ folder ~ ' holds a backslash, which the engine '
            ~ 'reads as part of a file pattern: rename or link the folder without it.') -%}
    {%- endif -%}
    {%- set folder = folder.rstrip('/') ~ '/' -%}
    {%- set present = [] -%}
    {%- for layout in var('raw_export_layouts') -%}
        {%- set relative = layout.pattern | replace('{name}', export_name) -%}
        {%- if raw_files_match(folder, relative, listing) -%}
            {%- do present.append({'format': layout.format, 'pattern': glob_escape(folder) ~ relative,
                'is_folder': '/' in layout.pattern, 'path': folder ~ relative}) -%}
        {%- endif -%}
    {%- endfor -%}
    {%- if present | length != 1 -%}
        {%- do exceptions.raise_compiler_error(
            export_name ~ ": the folder " ~ folder ~ " must hold exactly one of "
            ~ (var('raw_export_layouts') | map(attribute='pattern') | join(', ') | replace('{name}', export_name))
            ~ "; found " ~ (present | map(attribute='pattern') | join(', ') if present else 'none')
            ~ ". Run check_exports.py for details.") -%}
    {%- endif -%}
    {{ return(present[0]) }}
{%- endmacro %}

{#- Whether any file of folder matches the pattern relative (a name, or a folder and a name, with * in names). -#}
{% macro raw_files_match(folder, relative, listing) -%}
    {{- return(adapter.dispatch('raw_files_match', 'totango_feed')(folder, relative, listing)) -}}
{%- endmacro %}

{% macro default__raw_files_match(folder, relative, listing) -%}
    {%- set found = run_query("select count(*) from glob(" ~ sql_literal(glob_escape(folder) ~ relative) ~ ")") -%}
    {{- return(found.columns[0].values()[0] > 0) -}}
{%- endmacro %}

{#- The DuckDB table function that reads one raw file, every column as text, rows in file order. A CSV file is read
    as standard CSV (comma, double quotes, quotes doubled inside, a header row). A Parquet file is read as its own
    types, then each value as text (macro raw_value_as_text): the files of a folder may differ in their columns'
    order and types (one day's id column DOUBLE, the next day's VARCHAR), and a number must become the same text
    whichever other files are read beside it; the raw view puts a folder's files together by column name. -#}
{% macro raw_file_reader(path, format) -%}
    {%- if format == 'csv' -%}
        read_csv({{ sql_literal(glob_escape(path)) }}, header = true, all_varchar = true,
            delim = ',', quote = '"', escape = '"')
    {%- else -%}
        {%- set schema = run_query('select name, type from parquet_schema(' ~ sql_literal(glob_escape(path))
            ~ ') where type is not null') -%}
        (
            select
                {%- for row in schema %}
                {{ raw_value_as_text(quote_identifier(row[0]), row[1]) }} as {{ quote_identifier(row[0]) }}
                {{- ',' if not loop.last }}
                {%- endfor %}
            from read_parquet({{ sql_literal(glob_escape(path)) }})
        )
    {%- endif -%}
{%- endmacro %}

{#- DuckDB's column names ignore case: of two headers of one file that differ only in case (Account_Name and
    account_name), it renames the second (account_name_1), and staging's account_name would then read the
    first, the user's extra column, and send its values. So such a file stops the build here, naming the file
    and the headers (check_exports.py says the same before a build). A CSV file's header row is read as a row
    (header = false), since the names DuckDB gives are already renamed; every file of a folder is checked (a
    daily folder of a year costs about half a second). Not checked: Parquet files (DuckDB's own writer cannot
    give a file two such columns; another writer could). -#}
{% macro refuse_headers_differing_in_case(layout) -%}
    {%- if layout.format == 'csv' -%}
        {%- set files = run_query('select file from glob(' ~ sql_literal(layout.pattern) ~ ') order by file') -%}
        {%- for file in files.columns[0].values() -%}
            {%- set header_query -%}
                select * from read_csv({{ sql_literal(glob_escape(file)) }}, header = false, all_varchar = true,
                    delim = ',', quote = '"', escape = '"') limit 1
            {%- endset -%}
            {%- set header = run_query(header_query) -%}
            {%- set names = (header.rows[0] | list if header.rows else []) | reject('none') | list -%}
            {%- set seen = {} -%}
            {%- for name in names -%}
                {%- set key = name | trim | lower -%}
                {%- if key in seen -%}
                    {%- do exceptions.raise_compiler_error(file ~ ': the headers ' ~ seen[key] ~ ' and ' ~ name
                        ~ (' are the same' if seen[key] == name else ' differ only in case') ~ ', and DuckDB cannot '
                        ~ 'tell them apart: rename or remove one of them, so that the build does not read the '
                        ~ 'wrong column. Run check_exports.py for details.') -%}
                {%- endif -%}
                {%- do seen.update({key: name}) -%}
            {%- endfor -%}
        {%- endfor -%}
    {%- endif -%}
{%- endmacro %}
