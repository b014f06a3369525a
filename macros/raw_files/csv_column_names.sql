{#- The column names of a CSV file, from its header row (macro csv_header_row; header_rows: the rows already known
    by path, macro csv_header_rows): a blank header (a trailing comma) is named by its position under a name of the
    build's own. Stops the build, naming the file and the headers, where a name cannot be told apart from another
    or from the build's own (macro refuse_unusable_headers), or where the file is empty. -#}
{% macro csv_column_names(file, header_rows={}) -%}
    {%- set row = header_rows[file] if file in header_rows else csv_header_row(file) -%}
    {#- No row: the file was emptied between csv_header_row's check of line 1 and its read (a read of an empty file
        stops there, and csv_header_rows keeps no empty row). The check's words. -#}
    {%- if row is none -%}
        {%- do exceptions.raise_compiler_error(file ~ ': line 1: the file is empty; export it again, with its header '
            ~ 'row.') -%}
    {%- endif -%}
    {%- set names = [] -%}
    {%- for name in row -%}
        {%- do names.append(name if name else '__totango_feed_blank_' ~ loop.index0) -%}
    {%- endfor -%}
    {%- do refuse_unusable_headers(file, row | reject('none') | list) -%}
    {{- return(names) -}}
{%- endmacro %}
