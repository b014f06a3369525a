{#- raw_column_names: {<raw export>: {<contract column>: <your header>, or null for an optional column your
    export lacks}}. A required column mapped to null would leave every row of the export out. -#}
{% macro raw_column_names_errors() -%}
    {%- set errors = [] -%}
    {#- The contract is read from the sources, which dbt gives once the project is parsed (the on-run-start hook),
        not while it parses. -#}
    {%- if not execute -%}{{- return([]) -}}{%- endif -%}
    {%- set mapping = var('raw_column_names', {}) or {} -%}
    {%- if mapping is not mapping -%}
        {{- return(['var raw_column_names must map each raw export to {contract column: your header}: ' ~ mapping]) -}}
    {%- endif -%}
    {%- set exports = {} -%}
    {%- for source in graph.sources.values() if source.source_name in ['crm', 'app'] -%}
        {%- do exports.update({source.name: source.columns}) -%}
    {%- endfor -%}
    {%- for export_name, columns in mapping.items() -%}
        {%- if export_name not in exports -%}
            {%- do errors.append('var raw_column_names: ' ~ export_name ~ ' is not a raw export (' ~ exports.keys() | join(', ') ~ ')') -%}
        {%- elif columns is not mapping -%}
            {%- do errors.append('var raw_column_names.' ~ export_name ~ ' must map contract columns to your headers: ' ~ columns) -%}
        {%- else -%}
            {%- for column, header in columns.items() -%}
                {%- set contract = exports[export_name].get(column) -%}
                {%- if contract is none -%}
                    {%- do errors.append('var raw_column_names.' ~ export_name ~ ': ' ~ column ~ ' is not one of its '
                        ~ 'contract columns (' ~ exports[export_name].keys() | join(', ') ~ ')') -%}
                {%- elif header is none and (contract.get('config', {}).get('meta', {}).get('required')
                    or contract.get('meta', {}).get('required')) -%}
                    {%- do errors.append('var raw_column_names.' ~ export_name ~ ': ' ~ column ~ ' is required and '
                        ~ 'cannot be mapped to null; name the header of your export that holds it') -%}
                {%- elif header is not none and (header is not string or not header) -%}
                    {%- do errors.append('var raw_column_names.' ~ export_name ~ '.' ~ column ~ ' must be a header '
                        ~ '(text) or null: ' ~ header) -%}
                {%- endif -%}
            {%- endfor -%}
        {%- endif -%}
    {%- endfor -%}
    {{- return(errors) -}}
{%- endmacro %}
