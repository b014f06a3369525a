{#- The column of a raw export that holds a contract column, for exports whose headers differ from the contract's
    (var raw_column_names, Fivetran-style, only where they differ):
        raw_column_names: {raw_crm_accounts: {account_id: Id, parent_account_id: ParentId, account_name: Name}}
    A contract column mapped to null is not in the user's export (allowed for optional columns only): it reads
    as blank. check_exports.py reads the same var to check the user's headers. -#}
{% macro raw_column(export_name, contract_column) -%}
    {%- set mapping = (var('raw_column_names', {}) or {}).get(export_name, {}) or {} -%}
    {%- if contract_column not in mapping -%}
        {{ contract_column }}
    {%- elif mapping[contract_column] is none -%}
        cast(null as {{ dbt.type_string() }})
    {%- else -%}
        {{ quote_identifier(mapping[contract_column]) }}
    {%- endif -%}
{%- endmacro %}
