{#- The DuckDB table function that reads one raw file of a layout, every column as text, its rows in file order.
    The raw view reads each file by itself and puts the files together by column name: a later file of a folder may
    have a column the first one lacks (an attribute added to the export one day), or its columns in another order,
    and the files of a Parquet folder may differ in types (one day's id DOUBLE, the next day's VARCHAR; a number
    must become the same text whichever other files are read beside it). union all keeps the files' order. -#}
{% macro raw_file_reader(file, layout, export_name, header_rows={}) -%}
    {%- if layout.format == 'csv' -%}
        {#- The file's own header names the columns; nothing of the file is detected. #}
        {%- set names = csv_column_names(file, header_rows) -%}
        {%- do refuse_missing_headers(file, export_name, names, true) %}
        read_csv({{ sql_literal(glob_escape(file)) }}, auto_detect = false, header = true,
            columns = { {%- for name in names %}{{ sql_literal(name) }}: 'varchar'
                {{- ', ' if not loop.last }}{% endfor -%} },
            {{ csv_dialect() }})
    {%- else -%}
        {%- set columns = parquet_read_columns(file, export_name) -%}
        {%- do refuse_missing_headers(file, export_name, columns | map(attribute='name') | list, false) %}
        (
            select
                {%- for column in columns %}
                {{ raw_value_as_text(quote_identifier(column.name), column.type) }} as {{ quote_identifier(column.name) }}
                {{- ',' if not loop.last }}
                {%- endfor %}
            from read_parquet({{ sql_literal(glob_escape(file)) }}, hive_partitioning = false)
        )
    {%- endif -%}
{%- endmacro %}
