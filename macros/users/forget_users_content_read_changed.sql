{#- Post-hook of stg_app__users: the users export is hashed again after the model read it (users_export_content,
    which does not read a file whose stamp did not change since the model hashed it). If it is not what the model
    hashed (a delivery landed during the build), the rows written may be other bytes than the content they name:
    this build's rows forget their content (null), so that the next build reads the export whatever it holds, and
    a later return to the bytes hashed cannot keep rows of other bytes. -#}
{% macro forget_users_content_read_changed(relation) -%}
    {%- set content = users_export_content() -%}
    {%- if content is none -%}{{- return('select 1') -}}{%- endif -%}
    update {{ relation }} set staged_content = null
    where staged_in_build = {{ sql_literal(invocation_id) }}
        and staged_content is distinct from {{ sql_literal(content) }}
{%- endmacro %}
