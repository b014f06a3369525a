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
