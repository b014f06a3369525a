{#- Whether the whole value matches the pattern (null for null). -#}
{% macro regex_full_match(expression, pattern) -%}
    {{- return(adapter.dispatch('regex_full_match', 'totango_feed')(expression, pattern)) -}}
{%- endmacro %}

{% macro default__regex_full_match(expression, pattern) -%}
    regexp_full_match({{ expression }}, {{ regex_literal(pattern) }})
{%- endmacro %}

{% macro spark__regex_full_match(expression, pattern) -%}
    ({{ expression }} rlike {{ regex_literal('^(?:' ~ pattern ~ ')\\z') }})
{%- endmacro %}
