{#- Post-hook of stg_app__events, folder mode: each file parsed by this build is hashed again, its bytes read (no
    kept hash trusted). The build hashed it when it started and read it later; a file written in between (a copy
    still running, a day file replaced) would be stored under a hash its rows do not have, and never read again.
    Such a file's rows are forgotten and the build stops, naming it: the next build reads it whole. -#}
{% macro verify_parsed_files(relation) -%}
    {%- if execute and raw_dir() and model.resource_type != 'unit_test' -%}
        {%- set parsed = distinct_values(relation, 'file_hash', 'parsed_in_build = ' ~ sql_literal(invocation_id)) -%}
        {%- set hashed_at_start = {} -%}
        {%- set files = new_event_files(parsed) -%}
        {%- for file in files -%}{%- do hashed_at_start.update({file.path: file.hash}) -%}{%- endfor -%}
        {%- for file in with_content_hashes(files, trust_kept=false)
            if file.hash != hashed_at_start[file.path] -%}
            {%- do run_query('delete from ' ~ relation ~ ' where file_hash = '
                ~ sql_literal(hashed_at_start[file.path])) -%}
            {%- do exceptions.raise_compiler_error(file.path ~ ' changed while the build read it (it was being '
                ~ 'written?); nothing of it is kept: run the build again once the file is complete.') -%}
        {%- endfor -%}
    {%- endif -%}
    {{- return('select 1') -}}
{%- endmacro %}
