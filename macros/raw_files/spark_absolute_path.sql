{#- The raw folder as Spark must be given it. Spark resolves a relative table path against its warehouse, not the
    working directory: raw_dir() has made a relative folder absolute against the project, and a folder still
    relative (dbt run with a relative --project-dir) is refused with the reason. A URL (s3a://bucket/exports,
    hdfs://namenode/exports: a cluster's storage) is taken as it is. Hadoop reads some characters of a path as a
    pattern (and a colon in a local path as a scheme): a folder named with them is refused with the reason,
    instead of reading the wrong files. -#}
{% macro spark_absolute_path(path) -%}
    {%- set is_url = modules.re.match('^[A-Za-z][A-Za-z0-9+.-]*://', path) is not none -%}
    {%- if not is_url and not path.startswith('/') -%}
        {%- do exceptions.raise_compiler_error('The raw folder ' ~ path ~ ' is relative to the working directory, '
            ~ 'which Spark does not read paths from: give it as an absolute path, or run dbt with an absolute '
            ~ '--project-dir.') -%}
    {%- endif -%}
    {%- set absolute = path.rstrip('/') -%}
    {%- set checked = absolute.split('://', 1)[1] if is_url else absolute -%}
    {%- for character in ['[', ']', '{', '}', '*', '?', '\\'] + ([] if is_url else [':']) if character in checked -%}
        {%- do exceptions.raise_compiler_error('The raw folder ' ~ absolute ~ ' holds ' ~ character ~ ', which '
            ~ 'Spark (Hadoop) reads as part of a pattern or a scheme: rename or link the folder without it.') -%}
    {%- endfor -%}
    {{- return(absolute) -}}
{%- endmacro %}
