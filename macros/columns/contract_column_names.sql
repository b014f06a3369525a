{#- The contract columns of a raw export, in contract order, as declared on its source
    (models/staging/_raw__sources.yml, the one list of them; check_exports.py reads the same list there). dbt gives
    the sources once the project is parsed: while it parses, and where it gives no graph (a unit test), the list is
    empty, and callers that must work there take the columns as they come (macro contract_columns_of). -#}
{% macro contract_column_names(source_name, export_name) -%}
    {%- set source_id = 'source.' ~ project_name ~ '.' ~ source_name ~ '.' ~ export_name -%}
    {%- if not (execute and graph.get('sources') and source_id in graph.sources) -%}
        {{- return([]) -}}
    {%- endif -%}
    {{- return(graph.sources[source_id].columns.values() | map(attribute='name') | list) -}}
{%- endmacro %}
