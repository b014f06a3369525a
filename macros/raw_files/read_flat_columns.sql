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
