{#- Spark: the new files of the events export, read here for stg_app__events as tables over each file, one per file
    (a filter on a hash would not keep Spark from reading every file): a select of their rows, each file's rows
    numbered in file order, with the raw view's columns (the file's hash and row number under raw_file_column's
    names). files: [{path, name, hash}], CSV or Parquet as the layout says. -#}
{% macro spark_new_event_rows(files) -%}
    {%- set layout = raw_export_layout(spark_absolute_path(raw_dir()), content_keyed_export(),
        spark_file_listing(spark_absolute_path(raw_dir()))) if files else none -%}
    {#- The export's own headers of the contract's columns (var raw_column_names), the same in every branch. -#}
    {%- set mapping = (var('raw_column_names', {}) or {}).get(content_keyed_export(), {}) or {} -%}
    {%- set source_id = 'source.' ~ project_name ~ '.app.' ~ content_keyed_export() -%}
    {%- set headers = [] -%}
    {%- for column in graph.sources[source_id].columns.values() -%}
        {%- set header = mapping.get(column.name, column.name) -%}
        {%- if header is not none -%}{%- do headers.append(header) -%}{%- endif -%}
    {%- endfor -%}
    {%- set selects = [] -%}
    {%- for file in files -%}
        {#- A table over the file, not a temporary view: only a table passes on the _metadata that numbers the
            rows in file order. Dropping it leaves the file alone. -#}
        {%- set view = 'raw.' ~ content_keyed_export() ~ '__new_file_' ~ loop.index -%}
        {%- do run_query('drop table if exists ' ~ view) -%}
        {%- set columns = [] -%}
        {%- if layout.format == 'csv' -%}
            {%- do run_query('create table ' ~ view ~ ' using csv options ('
                ~ spark_csv_options(file.path) ~ ')') -%}
            {%- for header in headers -%}{%- do columns.append(quote_identifier(header)) -%}{%- endfor -%}
        {%- else -%}
            {%- do run_query('create table ' ~ view ~ ' using parquet options (path '
                ~ sql_literal(file.path) ~ ')') -%}
            {%- set types = {} -%}
            {%- for row in run_query('describe ' ~ view) if row[0] and not row[0].startswith('#') -%}
                {%- do types.update({row[0]: row[1]}) -%}
            {%- endfor -%}
            {%- for header in headers -%}
                {%- do columns.append(raw_value_as_text(quote_identifier(header), types.get(header, 'string'))
                    ~ ' as ' ~ quote_identifier(header)) -%}
            {%- endfor -%}
        {%- endif -%}
        {%- do selects.append('select ' ~ columns | join(', ') ~ ', '
            ~ (sql_literal(file.name) if file.name is not none else 'cast(null as string)') ~ ' as '
            ~ raw_file_column('file') ~ ', ' ~ sql_literal(file.hash) ~ ' as ' ~ raw_file_column('hash') ~ ', '
            ~ 'cast(row_number() over (order by _metadata.file_block_start, monotonically_increasing_id()) as '
            ~ 'bigint) as ' ~ raw_file_column('row') ~ ', 1 as ' ~ raw_file_column('copy') ~ ' from ' ~ view) -%}
    {%- endfor -%}
    {%- if not selects -%}
        {#- No new file: no row, in the same columns (the raw view over every file has none of the build's). -#}
        {%- set nulls = [] -%}
        {%- for header in headers -%}{%- do nulls.append('cast(null as string) as ' ~ quote_identifier(header)) -%}{%- endfor -%}
        {%- do selects.append('select ' ~ nulls | join(', ') ~ ', cast(null as string) as ' ~ raw_file_column('file')
            ~ ', cast(null as string) as ' ~ raw_file_column('hash') ~ ', cast(null as bigint) as '
            ~ raw_file_column('row') ~ ', 1 as ' ~ raw_file_column('copy') ~ ' where 1 = 0') -%}
    {%- endif -%}
    {{- return(selects | join(' union all ')) -}}
{%- endmacro %}
