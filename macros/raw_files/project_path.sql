{#- A path as given if it is absolute (or a URL: s3a://bucket/exports, a cluster's storage), else the same path
    under the project folder (dbt's --project-dir, by default the folder of dbt_project.yml found from the working
    directory; it may itself be relative to the working directory, which is where the engine resolves it too). -#}
{% macro project_path(path) -%}
    {%- set is_url = modules.re.match('^[A-Za-z][A-Za-z0-9+.-]*://', path) is not none -%}
    {%- if is_url or path.startswith('/') -%}
        {{- return(path) -}}
    {%- endif -%}
    {{- return((invocation_args_dict.get('project_dir') or '.').rstrip('/') ~ '/' ~ path) -}}
{%- endmacro %}
