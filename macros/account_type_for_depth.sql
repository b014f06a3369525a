{#- The Account Type of a CRM account at a depth of its tree (0 at the top), from var account_type_names;
    deeper levels than the list names take its last name. -#}
{% macro account_type_for_depth(depth_column) -%}
    {%- set names = var('account_type_names') -%}
    case
        {%- for name in names[:-1] %}
        when {{ depth_column }} = {{ loop.index0 }} then '{{ name }}'
        {%- endfor %}
        else '{{ names[-1] }}'
    end
{%- endmacro %}
