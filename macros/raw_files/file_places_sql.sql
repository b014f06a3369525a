{#- A query of each given file's canonical place (the path audit.file_hashes keys it by: UDF totango_file_places,
    os.path.realpath) with its position in the list, as columns place and position: the one spelling of "where is
    this file" that the kept hashes and the kept stamps both look up. -#}
{% macro file_places_sql(files) -%}
    {%- set literals = [] -%}
    {%- for file in files -%}{%- do literals.append(sql_literal(file.path)) -%}{%- endfor -%}
    {{- return('select unnest(totango_file_places([' ~ literals | join(', ') ~ '])) as place, unnest(range('
        ~ files | length ~ ')) as position') -}}
{%- endmacro %}
