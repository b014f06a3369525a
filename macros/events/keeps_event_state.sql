{#- Whether a model may build on what it stored in an earlier build: it is incremental, and it is not a unit test
    (whose given rows stand for the whole export). -#}
{% macro keeps_event_state() -%}
    {{- return(model.resource_type != 'unit_test' and is_incremental()) -}}
{%- endmacro %}
