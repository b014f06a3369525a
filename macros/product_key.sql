{#- The product's key, Totango's Product ID: the trimmed name in lower case, each run of characters other
    than letters and digits made one dash ("Data Hub" -> "data-hub"). Product names that differ only in case
    or spacing are one product. -#}
{% macro product_key(column_name) -%}
    trim(regexp_replace(lower(trim({{ column_name }})), '[^a-z0-9]+', '-', 'g'), '-')
{%- endmacro %}
