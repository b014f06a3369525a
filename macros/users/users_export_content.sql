{#- What the users export is now, as one value: the hash of its format and of each of its files' names and SHA-256
    (with_content_hashes, which does not read a file whose stamp is the one kept with its hash: the check before
    the build kept it). stg_app__users stores it on the rows it writes (staged_content), so that the next build
    knows whether the export is the same bytes as the one it staged. None where there is nothing to compare: seed
    mode (the seed is a table, loaded by dbt seed), Spark (stg_app__users is a view there), a unit test. -#}
{% macro users_export_content() -%}
    {%- if not execute or target.type == 'spark' or not raw_dir() or model.resource_type == 'unit_test' -%}
        {{- return(none) -}}
    {%- endif -%}
    {%- set layout = raw_export_layout(raw_dir(), 'raw_app_users') -%}
    {%- set files = [] -%}
    {%- for file in with_content_hashes(raw_export_files(layout)) -%}
        {%- do files.append([file.key, file.hash]) -%}
    {%- endfor -%}
    {{- return(local_md5(tojson({'format': layout.format, 'files': files}, sort_keys=true))) -}}
{%- endmacro %}
