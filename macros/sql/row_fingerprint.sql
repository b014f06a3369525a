{#- A fingerprint of a row's values (columns: names or expressions of text), the same on DuckDB and Spark: the MD5
    of each value written as its length, a colon and the value, or a dash for null, comma-separated. The length
    makes the text unambiguous (no value can pass for two, whatever commas or colons it holds), so two rows share a
    fingerprint only if their values are the same (or MD5 collides, which no export will make happen by chance). -#}
{% macro row_fingerprint(columns) -%}
    md5(concat(
        {%- for column in columns %}
        coalesce(cast(length({{ column }}) as {{ dbt.type_string() }}) || ':' || {{ column }}, '-')
        {{- ", ','," if not loop.last }}
        {%- endfor %}
    ))
{%- endmacro %}
