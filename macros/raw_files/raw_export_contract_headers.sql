{#- The headers of a raw export's contract columns under the user's names (var raw_column_names; a column mapped to
    null is not read): every file of the export must have them. -#}
{% macro raw_export_contract_headers(export_name) -%}
    {%- set mapping = (var('raw_column_names', {}) or {}).get(export_name, {}) or {} -%}
    {%- set headers = [] -%}
    {%- for source in graph.sources.values() if source.name == export_name -%}
        {%- for column in source.columns -%}
            {%- set header = mapping.get(column, column) -%}
            {%- if header is string -%}{%- do headers.append(header) -%}{%- endif -%}
        {%- endfor -%}
    {%- endfor -%}
    {{- return(headers) -}}
{%- endmacro %}
