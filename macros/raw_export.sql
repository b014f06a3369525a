{#- The rows of one raw export, in file order, numbered from 1 (source_row_number).
    Without var raw_dir the export is the seed of that name. With it, the export is read straight from that
    folder by DuckDB: <name>.parquet if it is there, else <name>.csv, every column as text (check_exports.py
    has checked the file's shape before the build).
    row_number() over () runs as DuckDB's streaming window, which keeps the scan's order: the number is the
    row's position in the file, which the "first in the file wins" rules depend on. -#}
{% macro raw_export(export_name) -%}
    {%- set raw_dir = var('raw_dir', '') -%}
    {%- if raw_dir -%}
        {%- set base_path = raw_dir.rstrip('/') ~ '/' ~ export_name -%}
        {%- set relation = "read_csv('" ~ base_path ~ ".csv', header = true, all_varchar = true, "
            ~ "delim = ',', quote = '\"', escape = '\"')" -%}
        {%- if execute -%}
            {%- set parquet_files = run_query("select count(*) from glob('" ~ base_path ~ ".parquet')") -%}
            {%- if parquet_files.columns[0].values()[0] > 0 -%}
                {%- set relation = "(select columns(*)::varchar from read_parquet('" ~ base_path ~ ".parquet'))" -%}
            {%- endif -%}
        {%- endif -%}
    {%- else -%}
        {%- set relation = ref(export_name) -%}
    {%- endif -%}
    (select row_number() over () as source_row_number, * from {{ relation }})
{%- endmacro %}
