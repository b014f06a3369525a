{#- The value with every match of the pattern replaced (replacement: plain text, no group references). -#}
{% macro regex_replace_all(expression, pattern, replacement) -%}
    {{- return(adapter.dispatch('regex_replace_all', 'totango_feed')(expression, pattern, replacement)) -}}
{%- endmacro %}

{% macro default__regex_replace_all(expression, pattern, replacement) -%}
    regexp_replace({{ expression }}, {{ regex_literal(pattern) }}, {{ sql_literal(replacement) }}, 'g')
{%- endmacro %}

{% macro spark__regex_replace_all(expression, pattern, replacement) -%}
    regexp_replace({{ expression }}, {{ regex_literal(pattern) }}, {{ sql_literal(replacement) }})
{%- endmacro %}
