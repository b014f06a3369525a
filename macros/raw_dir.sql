{#- The folder holding the raw exports, or '' to use the seeds: var raw_dir (--vars), else the environment's
    TOTANGO_RAW_DIR (what `make ... RAW_DIR=` sets, so a path never passes through shell or YAML quoting).
    dbt_project.yml repeats this expression once, to turn the seeds off in folder mode: a project file cannot call
    a macro. -#}
{% macro raw_dir() -%}
    {{- return(var('raw_dir', env_var('TOTANGO_RAW_DIR', ''))) -}}
{%- endmacro %}
