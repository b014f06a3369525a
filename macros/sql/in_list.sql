{#- An SQL list of text values, for `in (...)`; never empty (an empty list is not SQL): a null then stands for
    none, which `in` never matches. -#}
{% macro in_list(values) -%}
    {%- set literals = [] -%}
    {%- for value in values -%}{%- do literals.append(sql_literal(value)) -%}{%- endfor -%}
    ({{ literals | join(', ') if literals else 'cast(null as ' ~ dbt.type_string() ~ ')' }})
{%- endmacro %}
