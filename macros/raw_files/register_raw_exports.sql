{#- on-run-start, folder mode: a view raw.<export> over the files of each raw export in the folder raw_dir(),
    every column as text, with a column named by raw_file_column('file') naming the file each row came from where
    the export is a folder of files (null for a single file, so that a seed, a CSV file and a Parquet file of the
    same rows give the same output; staging reads it as source_file). Staging reads these views through
    source(), as it reads the seeds in seed mode (the seeds are off in folder mode). The exports are the tables
    of the sources crm and app; each must be present in exactly one of the layouts of var raw_export_layouts
    (check_exports.py reads the same list). A path reaches SQL only as a quoted literal. In seed mode it removes
    what an earlier folder-mode build left in the seeds' place. First of all, it stops a command that would read the
    events' listing as the other mode made it, or a seed it does not load and the database lacks (macros
    refuse_listing_of_other_mode, refuse_unloaded_seeds). -#}
{% macro register_raw_exports() -%}
    {%- if execute -%}
        {%- do refuse_listing_of_other_mode() -%}
        {%- do refuse_unloaded_seeds() -%}
        {%- do retire_older_event_tables() -%}
        {%- set exports = graph.sources.values() | selectattr('source_name', 'in', ['crm', 'app']) | list -%}
        {%- if raw_dir() -%}
            {{- return(adapter.dispatch('register_raw_exports', 'totango_feed')(exports)) -}}
        {%- else -%}
            {{- return(adapter.dispatch('clear_raw_exports', 'totango_feed')(exports)) -}}
        {%- endif -%}
    {%- endif -%}
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
                {%- set files = with_content_hashes(with_parsed_content(files)) %}
                {%- do register_event_files(files) %}
            {%- endif %}
            {#- A day file's header is read once per content, not every build (macro csv_header_rows). #}
            {%- set header_rows = csv_header_rows(files) if content_keyed and layout.format == 'csv' else {} %}
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
            from {{ raw_file_reader(file.path, layout, source.name, header_rows) }}
        ) as {{ 'file_' ~ loop.index }}
        {{ 'union all by name' if not loop.last }}
            {%- endfor %};
        {%- endfor %}
{%- endmacro %}

{#- The raw layer on Spark (see the DuckDB variant above). Spark reads the files itself, through an external table
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
