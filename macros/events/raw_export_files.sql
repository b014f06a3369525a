{#- The files of a layout (macro raw_export_layout, which lists them once for both engines) in name order:
    [{path, name, key}], name the file's name where the export is a folder of files (null for a single file: its rows
    are named by row number alone, as a seed's are), key its path relative to the raw folder (the same file from one
    day's raw folder to the next, wherever the folder is). -#}
{% macro raw_export_files(layout) -%}
    {%- set files = [] -%}
    {%- for path in layout.files -%}
        {%- do files.append({'path': path, 'name': path.split('/')[-1] if layout.is_folder else none,
            'key': layout.matched[loop.index0]}) -%}
    {%- endfor -%}
    {{- return(files) -}}
{%- endmacro %}
