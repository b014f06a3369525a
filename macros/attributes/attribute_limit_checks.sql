{% macro attribute_limit_checks(kind, limit_name) -%}
    {%- set checks = [] -%}
    {%- for attribute in custom_attributes(kind) -%}
        {%- do checks.append({'column': attribute.field, 'limit': limit_name, 'header': attribute.name}) -%}
    {%- endfor -%}
    {{ return(checks) }}
{%- endmacro %}
