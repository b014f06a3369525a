{#- What int_events_checked does in this build. 'full': check every current row (the first build,
    --full-refresh, a build on other rules, or files renamed, which may reorder rows: the order decides which row
    of a repeated event counts). Otherwise only the open events: those with rows in files (file_hash, file_copy)
    new since the last build or gone since, those with rows after the old rows of a file that grew, and those not
    sent at the last build (whose user may have arrived, or which the export has sent since). new_pairs and
    gone_pairs: [{file_hash, file_copy}]. grown_pairs: [{old_hash, file_hash, file_copy, old_rows}], a stored file
    copy whose content grew into a current one (the lineage stg_app__events recorded when it re-labelled its rows:
    macros/events/grown_event_files.sql), taken only once stg_app__events holds the new content's rows: its
    checked rows are re-labelled (pre-hook relabel_grown_checked_files) and only its rows after old_rows are new. -#}
{% macro event_check_plan(rules_version) -%}
    {%- set plan = {'full': true, 'new_pairs': [], 'gone_pairs': [], 'grown_pairs': []} -%}
    {%- if not execute or not keeps_event_state() -%}{{- return(plan) -}}{%- endif -%}
    {%- set stored = run_query('select distinct file_hash, file_copy, file_name, rules_version from ' ~ this) -%}
    {%- set current = run_query('select file_hash, file_copy, file_name, row_count from ' ~ ref('int_event_files')) -%}
    {%- set current_names = {} -%}
    {%- set current_rows = {} -%}
    {%- for row in current -%}
        {%- do current_names.update({row[0] ~ ':' ~ row[1]: row[2]}) -%}
        {%- do current_rows.update({row[0]: row[3]}) -%}
    {%- endfor -%}
    {%- set stored_keys = [] -%}
    {%- for row in stored -%}{%- do stored_keys.append(row[0] ~ ':' ~ row[1]) -%}{%- endfor -%}
    {%- set lineage = event_file_lineage() -%}
    {%- set gone = [] -%}
    {%- set grown = [] -%}
    {%- set grown_keys = [] -%}
    {%- for row in stored -%}
        {%- set key = row[0] ~ ':' ~ row[1] -%}
        {%- if row[3] != rules_version or (key in current_names and current_names[key] != row[2]) -%}
            {{- return(plan) -}}
        {%- endif -%}
        {%- if key not in current_names -%}
            {%- set next = lineage.get(row[0]) -%}
            {%- set new_key = next.new_hash ~ ':' ~ row[1] if next else none -%}
            {%- if next and new_key in current_names and new_key not in stored_keys and new_key not in grown_keys
                and current_names[new_key] == row[2] and current_rows[next.new_hash] >= next.old_row_count -%}
                {%- do grown_keys.append(new_key) -%}
                {%- do grown.append({'old_hash': row[0], 'file_hash': next.new_hash, 'file_copy': row[1],
                    'old_rows': next.old_row_count}) -%}
            {%- else -%}
                {%- do gone.append({'file_hash': row[0], 'file_copy': row[1]}) -%}
            {%- endif -%}
        {%- endif -%}
    {%- endfor -%}
    {%- set new = [] -%}
    {%- for row in current if (row[0] ~ ':' ~ row[1]) not in stored_keys + grown_keys -%}
        {%- do new.append({'file_hash': row[0], 'file_copy': row[1]}) -%}
    {%- endfor -%}
    {%- do plan.update({'full': false, 'new_pairs': new, 'gone_pairs': gone, 'grown_pairs': grown}) -%}
    {{- return(plan) -}}
{%- endmacro %}
