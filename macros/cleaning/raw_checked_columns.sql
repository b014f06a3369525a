{#- The raw values a staging model checks for unusual characters: (expression, label) for each contract column
    (names) and, for attribute_kind, each custom attribute of that kind (labelled by its raw header). -#}
{% macro raw_checked_columns(columns, attribute_kind=none) -%}
    {%- set checked = [] -%}
    {%- for column in columns -%}{%- do checked.append((column, column)) -%}{%- endfor -%}
    {%- for attribute in (custom_attributes(attribute_kind) if attribute_kind else []) -%}
        {%- do checked.append((attribute.field ~ '_raw', attribute.column)) -%}
    {%- endfor -%}
    {{ return(checked) }}
{%- endmacro %}
