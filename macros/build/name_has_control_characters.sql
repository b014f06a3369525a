{#- Whether a text holds a control character (a line break, a tab, NUL...), or a line or paragraph separator,
    which a name a file carries must not: it would split its header or its row. -#}
{% macro name_has_control_characters(text) -%}
    {{- return(modules.re.search('[\\x00-\\x1f\\x7f-\\x9f\\u2028\\u2029]', text) is not none) -}}
{%- endmacro %}
