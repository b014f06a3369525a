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
