{#- The column names of a CSV file, from its header row (macro csv_header_row; header_rows: the rows already known
    by path, macro csv_header_rows): a blank header (a trailing comma) is named by its position under a name of the
    build's own. Stops the build, naming the file and the headers, where a name cannot be told apart from another
    or from the build's own (macro refuse_unusable_headers), or where the file is empty. -#}
{% macro csv_column_names(file, header_rows={}) -%}
    {%- set row = header_rows[file] if file in header_rows else csv_header_row(file) -%}
    {#- No row at all (read_csv cannot read a file of no columns, and says so without naming it), or a first row
        that names no column in a file of nothing but blank space (a line feed, blank lines, spaces: read as a
        header, a day file was a day of no events, a single export DuckDB's binder error): the check's words, for a
        build run without the check, judged by the check's own function (totango_feed/sql.py file_is_empty). -#}
    {%- set names_nothing = row is not none and row | reject('none') | map('trim') | reject('equalto', '') | list
        | length == 0 -%}
    {%- if row is none or (names_nothing and run_query('select totango_file_is_empty(' ~ sql_literal(file)
        ~ ')').rows[0][0]) -%}
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
