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
