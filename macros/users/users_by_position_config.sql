{#- The config of stg_app__users and int_users_checked, the two users models built on by row position, in one
    place so that they cannot drift apart: on DuckDB each is incremental, a build replacing the rows at the
    positions it wrote again (delete+insert on source_row_number), its columns following the model's, and the
    post-hook forget_rows_past_the_end (build_column: the model's column naming the build that wrote the row)
    removing the rows past the end of today's export, then the model's own post_hooks; on Spark each is rebuilt
    whole, as spark_materialized. -#}
{% macro users_by_position_config(spark_materialized, build_column, post_hooks=[]) -%}
    {{- config(
        materialized=spark_materialized if target.type == 'spark' else 'incremental',
        incremental_strategy='delete+insert',
        unique_key='source_row_number',
        on_schema_change='sync_all_columns',
        post_hook=["{{ forget_rows_past_the_end(this, '" ~ build_column ~ "') }}"] + post_hooks,
    ) -}}
{%- endmacro %}
