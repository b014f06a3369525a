{#- Whether that table is there yet (the first build, seed mode and Spark have none). -#}
{% macro event_file_state_exists(what) -%}
    {{- return(table_exists(api.Relation.create(database=target.database, schema='raw',
        identifier=content_keyed_export() ~ '__' ~ what))) -}}
{%- endmacro %}
