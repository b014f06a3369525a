{#- subscription_statuses and live_statuses: lists of texts (a single text would be read one letter at a time),
    compared in lower case as the CRM's statuses are; every live status must be a status. -#}
{% macro status_var_errors() -%}
    {%- set errors = [] -%}
    {%- for name in ['subscription_statuses', 'live_statuses'] -%}
        {%- set value = var(name) -%}
        {%- if value is string or value is mapping or value is not iterable or not value
            or (value | reject('string') | list) -%}
            {%- do errors.append('var ' ~ name ~ ' must be a list of texts, e.g. [active, trial]: ' ~ value) -%}
        {%- endif -%}
    {%- endfor -%}
    {%- if not errors -%}
        {%- set statuses = var('subscription_statuses') | map('trim') | map('lower') | list -%}
        {%- for status in var('live_statuses') if status | trim | lower not in statuses -%}
            {%- do errors.append('var live_statuses: ' ~ status ~ ' is not one of subscription_statuses ('
                ~ statuses | join(', ') ~ ')') -%}
        {%- endfor -%}
    {%- endif -%}
    {{- return(errors) -}}
{%- endmacro %}
