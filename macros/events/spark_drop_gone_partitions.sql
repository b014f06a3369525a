{#- Spark (post-hook of stg_app__events, whose rows are stored in one partition per file hash): the partitions of
    files that are gone are dropped. Returns a statement for the hook to run (the work is done here). -#}
{% macro spark_drop_gone_partitions(relation) -%}
    {%- if execute and table_exists(relation) -%}
        {%- set current = distinct_values(ref('stg_app__event_files'), 'file_hash') -%}
        {%- for row in run_query('show partitions ' ~ relation) -%}
            {%- set file_hash = row[0].split('=', 1)[1] -%}
            {%- if file_hash not in current -%}
                {%- do run_query('alter table ' ~ relation ~ ' drop if exists partition (file_hash = '
                    ~ sql_literal(file_hash) ~ ')') -%}
            {%- endif -%}
        {%- endfor -%}
    {%- endif -%}
    {{- return('select 1') -}}
{%- endmacro %}
