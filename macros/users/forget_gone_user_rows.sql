{#- After int_users_checked: the stored rows past the end of today's users export leave (the export lost rows at
    its end). A build always checks the export's last row again (the model's CTE changed_rows), so the last
    position this build wrote is where the export ends now; an export without rows leaves none. On Spark the
    model is a table, rebuilt whole. -#}
{% macro forget_gone_user_rows(relation) -%}
    {%- if target.type == 'spark' -%}{{- return('select 1') -}}{%- endif -%}
    delete from {{ relation }}
    where source_row_number > coalesce((
        select max(written.source_row_number) from {{ relation }} as written
        where written.checked_in_build = {{ sql_literal(invocation_id) }}
    ), 0)
{%- endmacro %}
