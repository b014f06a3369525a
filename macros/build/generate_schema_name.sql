{#- Layers land in schemas named plainly (raw, staging, intermediate, marts) instead of dbt's default
    "<target schema>_<custom schema>", so a user queries intermediate.int_account_tree, not main_intermediate. -#}
{% macro generate_schema_name(custom_schema_name, node) -%}
    {%- if custom_schema_name is none -%}
        {{ target.schema }}
    {%- else -%}
        {{ custom_schema_name | trim }}
    {%- endif -%}
{%- endmacro %}
