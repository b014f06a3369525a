{#- The checks of one kind's attributes, as specs for the data-issues macros: unreadable values (every type but
    text: unreadable_value_issues) and values over a Totango limit (too_long_issues). -#}
{% macro attribute_value_checks(kind) -%}
    {%- set checks = [] -%}
    {%- for attribute in custom_attributes(kind) if attribute.type != 'text' -%}
        {%- do checks.append({'raw': attribute.field ~ '_text', 'typed': attribute.field, 'name': attribute.column,
            'expected': attribute_type_wording(attribute.type),
            'consequence': 'the attribute ' ~ attribute.name ~ ' is left blank'}) -%}
    {%- endfor -%}
    {{ return(checks) }}
{%- endmacro %}
