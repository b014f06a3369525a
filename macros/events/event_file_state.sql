{#- The name of a table the build keeps about the events' files in schema raw: 'parsed_listing' (the files
    stg_app__events last parsed) or 'file_lineage' (each content that grew into another). -#}
{% macro event_file_state(what) -%}
    {{- return('raw.' ~ content_keyed_export() ~ '__' ~ what) -}}
{%- endmacro %}
