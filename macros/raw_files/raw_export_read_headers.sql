{#- The headers of a raw export that the build reads: its contract columns under the user's names (var
    raw_column_names; one mapped to null is not read) and the columns of its custom attributes. -#}
{% macro raw_export_read_headers(export_name) -%}
    {%- set kinds = {'raw_crm_accounts': ['account'], 'raw_crm_subscriptions': ['product_account'],
        'raw_app_users': ['user']}.get(export_name, []) -%}
    {%- set headers = raw_export_contract_headers(export_name) -%}
    {%- for kind in kinds -%}
        {%- for attribute in custom_attributes(kind) if attribute.column is string -%}
            {%- do headers.append(attribute.column) -%}
        {%- endfor -%}
    {%- endfor -%}
    {{- return(headers) -}}
{%- endmacro %}
