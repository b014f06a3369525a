{#- A seed is a raw export, so every column is text (docs/contract/raw-exports.md: one bad cell must not stop a
    load; staging types the values). dbt would otherwise guess a type per column from the sample (a column of 5, 10
    becomes an integer, and 5.7 then stops the load), including the columns a user maps or sends as attributes. On
    Spark the table is Parquet (dbt-spark would otherwise assume Delta, not available here). -#}
{% macro duckdb__create_csv_table(model, agate_table) -%}
    {{- return(create_text_seed_table(agate_table)) -}}
{%- endmacro %}

{% macro spark__create_csv_table(model, agate_table) -%}
    {{- return(create_text_seed_table(agate_table, 'using parquet')) -}}
{%- endmacro %}

{#- The seed's table, every column text, named as the file's header names them (quoted, so any header stays a
    name); returns the statement, as dbt's create_csv_table does. -#}
{% macro create_text_seed_table(agate_table, table_options='') -%}
    {%- set sql -%}
        create table {{ this.render() }} (
            {%- for column_name in agate_table.column_names %}
            {{ quote_identifier(column_name | string) }} {{ dbt.type_string() }}{{ "," if not loop.last }}
            {%- endfor %}
        ) {{ table_options }}
    {%- endset -%}
    {%- call statement('_') -%}
        {{ sql }}
    {%- endcall -%}
    {{ return(sql) }}
{%- endmacro %}

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
