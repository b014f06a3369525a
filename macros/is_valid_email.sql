{#- A plausible email: something, one @, a domain with a dot, no spaces. Deliberately loose: it rejects what
    cannot be an address (bob@, blanks), not what a strict RFC parser would. -#}
{% macro is_valid_email(column_name) -%}
    coalesce(regexp_full_match({{ column_name }}, '[^@\s]+@[^@\s]+\.[^@\s.]+'), false)
{%- endmacro %}
