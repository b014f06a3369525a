{#- The rows of one raw export, in file order, numbered from 1 (source_row_number).
    Without var raw_dir the export is the seed of that name; with it, the file of that name in that folder.
    row_number() over () runs as DuckDB's streaming window, which keeps the scan's order: the number is the
    row's position in the file, which the "first in the file wins" rules depend on. -#}
{% macro raw_export(export_name) -%}
    {%- set raw_dir = var('raw_dir', '') -%}
    {%- if raw_dir -%}
        {%- set relation = "read_csv('" ~ raw_dir ~ "/" ~ export_name ~ ".csv', header = true, all_varchar = true)" -%}
    {%- else -%}
        {%- set relation = ref(export_name) -%}
    {%- endif -%}
    (select row_number() over () as source_row_number, * from {{ relation }})
{%- endmacro %}
