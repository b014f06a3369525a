{#- After stg_app__users and int_users_checked (built on by row position): the stored rows past the end of today's
    users export leave (the export lost rows at its end). Each build writes the export's last row again (the
    models' CTEs changed_rows and changed_positions), so the last position this build wrote (build_column: the
    model's column naming the build that wrote the row) is where the export ends now; an export without rows
    leaves none. On Spark these models are a view and a table, rebuilt whole. -#}
{% macro forget_rows_past_the_end(relation, build_column) -%}
    {%- if target.type == 'spark' -%}{{- return('select 1') -}}{%- endif -%}
    delete from {{ relation }}
    where source_row_number > coalesce((
        select max(written.source_row_number) from {{ relation }} as written
        where written.{{ build_column }} = {{ sql_literal(invocation_id) }}
    ), 0)
{%- endmacro %}
