{#- Post-hook of int_events_checked: the events sent since the last build, alone of their id, become sent. One
    update of the rows the last export sent; nothing else is read. -#}
{% macro mark_exported_events(relation) -%}
    {%- if target.type == 'spark' -%}
        {{- return('select 1') -}}
    {%- endif -%}
    update {{ relation }} set was_sent = true
    where {{ exported_alone(relation) }}
{%- endmacro %}
