{#- on-run-start (DuckDB): each file with `previous`, {hash, bytes}, the content stg_app__events last parsed under
    the file's path, where that content ended with a line feed; with_content_hashes tells whether the file grew
    from it. Read from the parsed listing, not from the last listing: a run that parses nothing (`dbt test`, a run
    of other models) rewrites the listing but not what was parsed. -#}
{% macro with_parsed_content(files) -%}
    {%- if not event_file_state_exists('parsed_listing') -%}{{- return(files) -}}{%- endif -%}
    {%- set parsed = {} -%}
    {%- for row in run_query('select file_key, file_hash, byte_count from ' ~ event_file_state('parsed_listing')
        ~ ' where ends_with_newline and byte_count is not null and file_key is not null') -%}
        {%- do parsed.update({row[0]: {'hash': row[1], 'bytes': row[2]}}) -%}
    {%- endfor -%}
    {%- set result = [] -%}
    {%- for file in files -%}
        {%- do result.append(dict(file, previous=parsed.get(file.key))) -%}
    {%- endfor -%}
    {{- return(result) -}}
{%- endmacro %}
