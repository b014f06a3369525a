{#- Whether some part of the value matches the pattern (null for null). -#}
{% macro regex_contains(expression, pattern) -%}
    {{- return(adapter.dispatch('regex_contains', 'totango_feed')(expression, pattern)) -}}
{%- endmacro %}

{% macro default__regex_contains(expression, pattern) -%}
    regexp_matches({{ expression }}, {{ regex_literal(pattern) }})
{%- endmacro %}

{% macro spark__regex_contains(expression, pattern) -%}
    ({{ expression }} rlike {{ regex_literal(pattern) }})
{%- endmacro %}
