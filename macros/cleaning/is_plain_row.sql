{#- Whether a row's raw values (columns: names or expressions) hold nothing but ordinary characters: no control
    character, no white space other than the plain space. One regular expression over the whole row. -#}
{% macro is_plain_row(columns) -%}
    not coalesce({{ regex_contains("concat_ws('', " ~ columns | join(', ') ~ ")", character_class("unusual")) }}, false)
{%- endmacro %}
