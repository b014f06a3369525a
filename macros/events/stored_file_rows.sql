{#- How many rows stg_app__events (relation) holds of the file with content file_hash, over all its parts
    (event_file_parts), under rules_version when one is given. -#}
{% macro stored_file_rows(relation, file_hash, parts, rules_version=none) -%}
    {%- set rules = ' and rules_version = ' ~ sql_literal(rules_version) if rules_version else '' -%}
    {%- set counted = run_query('select count(*) from ' ~ relation ~ ' where file_hash in '
        ~ in_list(parts.get(file_hash, [file_hash])) ~ rules) -%}
    {{- return(counted.rows[0][0]) -}}
{%- endmacro %}
