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
