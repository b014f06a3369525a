{#- Rows (table_name, column_name, ordinal_position) of tests/assert_file_headers.sql as selects joined by union
    all, or the one row `otherwise` gives when there are none (a select needs at least one row). -#}
{% macro header_rows(rows, otherwise) -%}
    {%- for table_name, column_name, position in rows or [otherwise] %}
        select
            {{ sql_literal(table_name) }} as table_name,
            {{ sql_literal(column_name) }} as column_name,
            {{ position }} as ordinal_position
        {{ "union all" if not loop.last }}
    {%- endfor %}
{%- endmacro %}
