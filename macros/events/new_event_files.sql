{#- The files to parse for these hashes: the first file (by name) of each, from the listing. -#}
{% macro new_event_files(hashes) -%}
    {%- if not hashes -%}{{- return([]) -}}{%- endif -%}
    {%- set listed = run_query('select file_path, file_name, file_hash from raw.' ~ content_keyed_export()
        ~ '__file_listing where file_hash in ' ~ in_list(hashes) ~ ' order by file_order') -%}
    {%- set files = [] -%}
    {%- set seen = [] -%}
    {%- for row in listed if row[2] not in seen -%}
        {%- do seen.append(row[2]) -%}
        {%- do files.append({'path': row[0], 'name': row[1], 'hash': row[2]}) -%}
    {%- endfor -%}
    {{- return(files) -}}
{%- endmacro %}
