{% macro record_build_start() -%}
    {%- if execute and is_table_changing_command() -%}
        {{- run_statements([
            'create schema if not exists audit',
            build_outcomes_table_sql(),
        ] + build_outcomes_upgrade_sql() + [
            build_outcome_row_sql('running', none),
        ]) -}}
    {%- endif -%}
{%- endmacro %}
