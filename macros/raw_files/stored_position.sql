{#- The position of a row in a stored table (a mart), read in the same select. On Spark a table is Parquet
    files of one write, named by part in order (part-00000-..., part-00001-...), and row_index is the row's
    place in its file. -#}
{% macro stored_position() -%}
    {{- return(adapter.dispatch('stored_position', 'totango_feed')()) -}}
{%- endmacro %}

{% macro default__stored_position() -%}rowid{%- endmacro %}

{% macro spark__stored_position() -%}
    row_number() over (order by _metadata.file_name, _metadata.row_index)
{%- endmacro %}
