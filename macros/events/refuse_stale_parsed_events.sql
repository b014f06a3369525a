{#- int_events_checked checks the rows stg_app__events holds, and stamps them with today's rules. Those rows must
    have been parsed under today's rules too: run alone (`dbt run -s int_events_checked`) under vars that change how
    an event is read (raw_column_names, the valid date range), it would check rows parsed under the old ones and
    stamp them as checked under the new, and the next build would trust them (an event id read from the old
    column). A build of both models never meets this: stg_app__events parses again what it holds under other rules,
    and forgets the rest, before int_events_checked runs. So the build stops here, with what to run instead: a
    pre-hook of the model, so that only a run or build stops, and a command that only compiles or previews the
    model under other vars (`dbt compile`, `dbt show`, `dbt docs generate`) still works. -#}
{% macro refuse_stale_parsed_events() -%}
    {%- set staged = ref('stg_app__events') -%}
    {%- if not execute or model.resource_type == 'unit_test' or not table_exists(staged) -%}{{- return('') -}}{%- endif -%}
    {%- set stale = run_query('select rules_version from ' ~ staged ~ ' where rules_version != '
        ~ sql_literal(event_rules_version('parsed')) ~ ' limit 1') -%}
    {%- if stale.rows | length > 0 -%}
        {%- do exceptions.raise_compiler_error('stg_app__events holds events parsed under other rules (the vars '
            ~ 'raw_column_names, earliest_valid_date or latest_valid_date differ from those it was built with, or '
            ~ 'the project changed): int_events_checked would check them as if read under these. Build both, '
            ~ 'with the same vars: dbt build --select +int_events_checked (or the whole project).') -%}
    {%- endif -%}
    {{- return('') -}}
{%- endmacro %}
