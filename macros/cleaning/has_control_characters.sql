{% macro has_control_characters(column_name) -%}
    coalesce({{ regex_contains(column_name, character_class("control")) }}, false)
{%- endmacro %}
