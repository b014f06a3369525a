{#- The folder holding the raw exports, or '' to use the seeds: var raw_dir (--vars), else the environment's
    TOTANGO_RAW_DIR (what `make ... RAW_DIR=` sets, so a path never passes through shell or YAML quoting).
    dbt_project.yml repeats this expression once, to turn the seeds off in folder mode: a project file cannot call
    a macro. A relative folder is taken from the project folder (project_path), as the database is: the engines
    would take it from the working directory, which is not the project when cron or an orchestrator runs
    `dbt build --project-dir`. -#}
{% macro raw_dir() -%}
    {%- set folder = var('raw_dir', env_var('TOTANGO_RAW_DIR', '')) -%}
    {{- return(project_path(folder) if folder else '') -}}
{%- endmacro %}

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
