{#- DuckDB loads a seed from the file itself, read by DuckDB's CSV reader with the dialect of the raw exports in
    folder mode stated outright (macro csv_dialect): dbt-duckdb's own loader gives only the delimiter and lets
    DuckDB guess the rest (a comment character, rows to skip), and pastes the path into SQL unquoted. The columns
    are taken by position, as the seed's table has them (the header dbt read), each as text. -#}
{% macro duckdb__load_csv_rows(model, agate_table) -%}
    {%- set columns = [] -%}
    {%- for name in agate_table.column_names -%}{%- do columns.append("'column" ~ loop.index0 ~ "': 'varchar'") -%}{%- endfor -%}
    {%- set sql = 'insert into ' ~ this.render() ~ ' select * from read_csv('
        ~ sql_literal(glob_escape(agate_table.original_abspath)) ~ ', auto_detect = false, header = true, columns = {'
        ~ columns | join(', ') ~ '}, ' ~ csv_dialect() ~ ')' -%}
    {%- do adapter.add_query(sql, abridge_sql_log=True) -%}
    {{ return(sql) }}
{%- endmacro %}

{#- Spark loads a seed the way DuckDB does, from the file itself, read by the database (Spark's CSV reader,
    as in folder mode), not value by value: dbt-spark's own loader writes a blank cell as the text 'None' and
    breaks on a quote inside a value. One insert of one file writes its rows in file order (one task per file,
    values over several lines allowed), which is the order staging numbers them in. -#}
{% macro spark__load_csv_rows(model, agate_table) -%}
    {%- do run_query('create or replace temporary view totango_seed_file using csv options ('
        ~ spark_csv_options(agate_table.original_abspath) ~ ')') -%}
    {%- set sql = 'insert into ' ~ this.render() ~ ' select * from totango_seed_file' -%}
    {%- do adapter.add_query(sql, abridge_sql_log=True) -%}
    {{ return(sql) }}
{%- endmacro %}
