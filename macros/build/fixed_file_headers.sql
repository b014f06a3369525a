{#- The fixed columns of accounts.csv and users.csv, in order (macro output_columns, their one list); custom
    attributes follow them. -#}
{% macro fixed_file_headers(file) -%}
    {{- return(output_columns(file ~ '.csv') | map(attribute='name') | list) -}}
{%- endmacro %}
