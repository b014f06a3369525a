{#- A plausible email: something, one @, a domain with a dot, no spaces, and not starting with a character a
    spreadsheet reads as a formula (= + - @), since the email is the user's id and ids are never guarded.
    Deliberately loose otherwise: it rejects what cannot be an address (bob@, blanks), not what a strict RFC
    parser would. -#}
{% macro is_valid_email(column_name) -%}
    coalesce({{ regex_full_match(column_name, '[^@\\s=+\\-][^@\\s]*@[^@\\s]+\\.[^@\\s.]+') }}, false)
{%- endmacro %}
