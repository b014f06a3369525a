{#- A seed is a raw export, so every column is text (raw-exports.md: one bad cell must not stop a load; staging
    types the values). dbt would otherwise guess a type per column from the sample (a column of 5, 10 becomes an
    integer, and 5.7 then stops the load), including the columns a user maps or adds (issue 11). -#}
{% macro duckdb__create_csv_table(model, agate_table) -%}
    {%- set sql -%}
        create table {{ this.render() }} (
            {%- for column_name in agate_table.column_names %}
            {{ adapter.quote_seed_column(column_name | string, model['config'].get('quote_columns', none)) }}
                {{ dbt.type_string() }}{{ "," if not loop.last }}
            {%- endfor %}
        )
    {%- endset -%}
    {%- call statement('_') -%}
        {{ sql }}
    {%- endcall -%}
    {{ return(sql) }}
{%- endmacro %}
