{#- A relation's columns as the marts kept whole compare them: each name and type, in order. -#}
{% macro stored_columns_signature(relation) -%}
    {%- set columns = [] -%}
    {%- for column in adapter.get_columns_in_relation(relation) -%}
        {%- do columns.append([column.name, column.dtype | lower]) -%}
    {%- endfor -%}
    {{- return(columns) -}}
{%- endmacro %}
