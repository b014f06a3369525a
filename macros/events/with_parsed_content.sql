{#- on-run-start (DuckDB): each file with `previous`, {hash, bytes}, the content it may have grown from: the longest
    content stg_app__events last parsed under the file's path that ended with a line feed (parsed_whole_rows);
    with_content_hashes tells whether the file grew from it. Read from the parsed listing, not from the last
    listing: a run that parses nothing (`dbt test`, a run of other models) rewrites the listing but not what was
    parsed. -#}
{% macro with_parsed_content(files) -%}
    {%- set whole_rows = parsed_whole_rows() -%}
    {%- if not whole_rows -%}{{- return(files) -}}{%- endif -%}
    {%- set parsed = {} -%}
    {%- for row in run_query(whole_rows) -%}
        {%- do parsed.update({row[0]: {'hash': row[1], 'bytes': row[2]}}) -%}
    {%- endfor -%}
    {%- set result = [] -%}
    {%- for file in files -%}
        {%- do result.append(dict(file, previous=parsed.get(file.key))) -%}
    {%- endfor -%}
    {{- return(result) -}}
{%- endmacro %}
