{#- What int_events_checked does in this build. 'full': check every current row (the first build,
    --full-refresh, a build on other rules, or files renamed, which may reorder rows: the order decides which row
    of a repeated event counts). Otherwise only the open events: those with rows in files (file_hash, file_copy)
    new since the last build or gone since, and those not sent at the last build (whose user may have arrived, or
    which the export has sent since). new_pairs and gone_pairs: [{file_hash, file_copy}], file_hash a part of a
    file (int_event_files): the rows a file that grew added are a new part, and its old parts stay as they were
    (macros/events/grown_event_files.sql). -#}
{% macro event_check_plan(rules_version) -%}
    {%- set plan = {'full': true, 'new_pairs': [], 'gone_pairs': []} -%}
    {%- if not execute or not keeps_event_state() -%}{{- return(plan) -}}{%- endif -%}
    {%- set stored = run_query('select distinct file_hash, file_copy, file_name, rules_version from ' ~ this) -%}
    {%- set current = run_query('select file_hash, file_copy, file_name from ' ~ ref('int_event_files')) -%}
    {%- set current_names = {} -%}
    {%- for row in current -%}
        {%- do current_names.update({row[0] ~ ':' ~ row[1]: row[2]}) -%}
    {%- endfor -%}
    {%- set stored_keys = [] -%}
    {%- for row in stored -%}{%- do stored_keys.append(row[0] ~ ':' ~ row[1]) -%}{%- endfor -%}
    {%- set gone = [] -%}
    {%- for row in stored -%}
        {%- set key = row[0] ~ ':' ~ row[1] -%}
        {%- if row[3] != rules_version or (key in current_names and current_names[key] != row[2]) -%}
            {{- return(plan) -}}
        {%- endif -%}
        {%- if key not in current_names -%}
            {%- do gone.append({'file_hash': row[0], 'file_copy': row[1]}) -%}
        {%- endif -%}
    {%- endfor -%}
    {%- set new = [] -%}
    {%- for row in current if (row[0] ~ ':' ~ row[1]) not in stored_keys -%}
        {%- do new.append({'file_hash': row[0], 'file_copy': row[1]}) -%}
    {%- endfor -%}
    {%- do plan.update({'full': false, 'new_pairs': new, 'gone_pairs': gone}) -%}
    {{- return(plan) -}}
{%- endmacro %}
