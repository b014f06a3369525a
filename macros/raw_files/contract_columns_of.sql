{#- The select list that renames a raw export to the contract's columns (macro raw_column for each), then adds
    its custom attribute columns, each as the text written (<field>_raw). The contract columns are the ones
    declared on the export's source. with_source_file adds source_file (the file of a row where the export is a
    folder of files, which the raw view carries under a name no export holds, macro raw_file_column; null for a
    seed, which has no such column). Where dbt gives no graph (a unit test, whose mocked source has the raw
    view's names), every column is taken as it is (but source_row_number, which the caller selects before
    these, and the file, renamed; or, where the caller names them, internal_columns: the columns the caller
    selected or the build added). -#}
{% macro contract_columns_of(source_name, export_name, attribute_kinds=[], with_source_file=false,
    internal_columns=none) -%}
    {%- set source_id = 'source.' ~ project_name ~ '.' ~ source_name ~ '.' ~ export_name -%}
    {%- set known = execute and graph.get('sources') and source_id in graph.sources -%}
    {%- if with_source_file and not raw_dir() -%}
        cast(null as {{ dbt.type_string() }}) as source_file,
    {%- elif with_source_file -%}
        {{ raw_file_column('file') }} as source_file,
    {%- endif %}
    {% if not known -%}
        {%- if internal_columns is not none -%}
        {{ star_except(internal_columns) }}
        {%- else -%}
        {{ star_except(['source_row_number'] + ([raw_file_column('file')] if with_source_file and raw_dir() else [])) }}
        {%- endif -%}
    {%- else -%}
        {%- for column in graph.sources[source_id].columns.values() -%}
            {{ raw_column(export_name, column.name) }} as {{ column.name }}{{ ",\n        " if not loop.last }}
        {%- endfor -%}
        {%- for kind in attribute_kinds -%}
            {%- for attribute in custom_attributes(kind) -%},
        {{ quote_identifier(attribute.column) }} as {{ attribute.field }}_raw
            {%- endfor -%}
        {%- endfor -%}
    {%- endif -%}
{%- endmacro %}
