{#- Whether a value may be a Totango Account ID (docs/contract/totango-csv-format.md, Limits): letters (of any
    script, an accent written as a separate mark included: José in decomposed form), digits, _ and - only,
    at most max_length characters. It must also not start with - (a spreadsheet reads -x as a formula, and ids are
    never guarded). A CRM id may be at most 400 characters, so that a product account id built on it
    (<id>__<product key of at most 57>) stays within Totango's 480. -#}
{% macro is_totango_id(column_name, max_length=400) -%}
    coalesce(
        {{ regex_full_match(column_name, '[\p{L}\p{N}_][\p{L}\p{M}\p{N}_-]*') }} and length({{ column_name }}) <= {{ max_length }},
        false
    )
{%- endmacro %}
