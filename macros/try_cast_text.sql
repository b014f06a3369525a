{#- A raw text value cast to data_type, or null when it cannot be read. dbt.safe_cast would be the portable
    choice, but dbt-duckdb renders it as a plain cast, which stops the whole model on one bad cell. -#}
{% macro try_cast_text(column_name, data_type) -%}
    try_cast(trim({{ column_name }}) as {{ data_type }})
{%- endmacro %}
