{#- A hash of the rows a table holds, in their stored order (a scalar subquery): in seed mode, the identity of the
    events seed's content. -#}
{% macro table_content_hash(relation) -%}
    {{- return(adapter.dispatch('table_content_hash', 'totango_feed')(relation)) -}}
{%- endmacro %}

{% macro default__table_content_hash(relation) -%}
    (
        select md5(coalesce(string_agg(cast(to_json(seed_rows) as varchar), chr(10) order by seed_rows.rowid), ''))
        from {{ relation }} as seed_rows
    )
{%- endmacro %}

{#- Spark: a Parquet table's rows in order are its files by name, each row by its place (macro stored_position). -#}
{% macro spark__table_content_hash(relation) -%}
    (
        select
            sha2(coalesce(array_join(transform(array_sort(collect_list(named_struct(
                'file', seed_rows._metadata.file_name, 'row', seed_rows._metadata.row_index,
                'value', to_json(struct(seed_rows.*))
            ))), row -> row.value), char(10)), ''), 256)
        from {{ relation }} as seed_rows
    )
{%- endmacro %}
