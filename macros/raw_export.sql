{#- The rows of one raw export, in file order, numbered from 1 (source_row_number), with the file each row
    came from where the export is a folder of files (source_file: its name; null for a single file, so that a
    seed, a CSV file and a Parquet file of the same rows give the same output, byte for byte).
    Without var raw_dir the export is the seed of that name. With it, the export is read straight from that
    folder by DuckDB, every column as text, from exactly one of: <name>.csv, <name>.parquet, or a folder
    <name>/ of CSV files or of Parquet files (any names; read as one export, files in name order). More than
    one of these, or none, stops the build with a message (check_exports.py says the same before the build).
    row_number() over () runs as DuckDB's streaming window, which keeps the scan's order (files in name order,
    rows in file order): the number is the row's position in the export, which "first in the file wins" needs.
-#}
{% macro raw_export(export_name) -%}
    {%- set raw_dir = var('raw_dir', '') -%}
    {%- if not raw_dir -%}
    (select row_number() over () as source_row_number, null::varchar as source_file, *
     from {{ ref(export_name) }})
    {%- else -%}
    {%- set layout = raw_export_layout(raw_dir.rstrip('/') ~ '/' ~ export_name, export_name) -%}
    (select
        row_number() over () as source_row_number,
        {{ 'parse_filename(filename)' if layout.is_folder else 'null::varchar' }} as source_file,
        * exclude (filename)
     from {{ raw_export_reader(layout) }})
    {%- endif -%}
{%- endmacro %}

{#- Which of the four layouts of an export is present: exactly one must be. -#}
{% macro raw_export_layout(base_path, export_name) -%}
    {%- set layouts = [
        {'kind': 'csv', 'pattern': base_path ~ '.csv', 'is_folder': false},
        {'kind': 'parquet', 'pattern': base_path ~ '.parquet', 'is_folder': false},
        {'kind': 'csv', 'pattern': base_path ~ '/*.csv', 'is_folder': true},
        {'kind': 'parquet', 'pattern': base_path ~ '/*.parquet', 'is_folder': true},
    ] -%}
    {%- if not execute -%}
        {{ return(layouts[0]) }}
    {%- endif -%}
    {%- set present = [] -%}
    {%- for layout in layouts -%}
        {%- set found = run_query("select count(*) from glob(" ~ sql_literal(layout.pattern) ~ ")") -%}
        {%- if found.columns[0].values()[0] > 0 -%}
            {%- do present.append(layout) -%}
        {%- endif -%}
    {%- endfor -%}
    {%- if present | length != 1 -%}
        {%- do exceptions.raise_compiler_error(
            export_name ~ ": the folder must hold exactly one of " ~ export_name ~ ".csv, " ~ export_name
            ~ ".parquet, or a folder " ~ export_name ~ "/ of CSV or of Parquet files; found "
            ~ (present | map(attribute='pattern') | join(', ') if present else 'none')
            ~ ". Run check_exports.py for details.") -%}
    {%- endif -%}
    {{ return(present[0]) }}
{%- endmacro %}

{#- The DuckDB table function that reads a layout, every column as text, with each row's file name. -#}
{% macro raw_export_reader(layout) -%}
    {%- if layout.kind == 'csv' -%}
        read_csv({{ sql_literal(layout.pattern) }}, header = true, all_varchar = true, filename = true,
            delim = ',', quote = '"', escape = '"')
    {%- else -%}
        (select columns(* exclude (filename))::varchar, filename
         from read_parquet({{ sql_literal(layout.pattern) }}, filename = true))
    {%- endif -%}
{%- endmacro %}
