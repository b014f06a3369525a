{#- What int_users_checked does in this build. 'full': check every user row (the first build, --full-refresh,
    Spark, a unit test, a build on other rules, or a table stored before the rows carried their rules and
    fingerprints). Otherwise only the open user ids: those whose rows changed since the last build, compared
    position by position (the model's CTE changed_positions), and the user ids in the same email groups. -#}
{% macro user_check_plan(rules_version) -%}
    {%- set full = {'full': true} -%}
    {%- if not execute or not keeps_event_state() -%}{{- return(full) -}}{%- endif -%}
    {%- set stored_columns = adapter.get_columns_in_relation(this) | map(attribute='name') | list -%}
    {#- A table stored by a version of the project before these columns: checked whole once. -#}
    {%- if 'rules_version' not in stored_columns or 'raw_row_hash' not in stored_columns -%}
        {{- return(full) -}}
    {%- endif -%}
    {%- set stored = run_query('select distinct rules_version from ' ~ this) -%}
    {%- for row in stored if row[0] != rules_version -%}{{- return(full) -}}{%- endfor -%}
    {{- return({'full': false}) -}}
{%- endmacro %}
