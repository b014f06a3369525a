{#- A path as a glob pattern that matches only itself. DuckDB reads every path it is given as a pattern, so a
    [ * or ? in a folder's name (drop[1]) would read other folders (drop1); in brackets each stands for itself
    (totango_feed/sql.py glob_escaped does the same for Python). Spark (Hadoop) refuses such folders instead
    (spark_absolute_path), so its paths pass unchanged. -#}
{% macro glob_escape(path) -%}
    {{- return(adapter.dispatch('glob_escape', 'totango_feed')(path)) -}}
{%- endmacro %}

{% macro default__glob_escape(path) -%}
    {{- return(modules.re.sub('([\\[*?])', '[\\1]', path)) -}}
{%- endmacro %}

{% macro spark__glob_escape(path) -%}
    {{- return(path) -}}
{%- endmacro %}
