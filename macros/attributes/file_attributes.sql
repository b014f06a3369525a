{#- The attribute columns of a file, in order: each {name, type} with the field that fills it for each kind of
    row (accounts.csv: account and product_account rows; users.csv: user rows). -#}
{% macro file_attributes(kinds) -%}
    {%- set columns = [] -%}
    {%- for kind in kinds -%}
        {%- for attribute in custom_attributes(kind) -%}
            {%- set existing = columns | selectattr('name', 'equalto', attribute.name) | list -%}
            {%- if existing -%}
                {%- do existing[0].fields.update({kind: attribute.field}) -%}
            {%- else -%}
                {%- do columns.append({'name': attribute.name, 'type': attribute.type, 'fields': {kind: attribute.field}}) -%}
            {%- endif -%}
        {%- endfor -%}
    {%- endfor -%}
    {{ return(columns) }}
{%- endmacro %}
