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
