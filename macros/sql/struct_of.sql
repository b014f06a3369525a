{#- A struct of named fields, from a list of (name, expression) pairs: compared field by field, in order. -#}
{% macro struct_of(fields) -%}
    {{- return(adapter.dispatch('struct_of', 'totango_feed')(fields)) -}}
{%- endmacro %}

{% macro default__struct_of(fields) -%}
    {
        {%- for name, expression in fields %}
        '{{ name }}': {{ expression }}{{ "," if not loop.last }}
        {%- endfor %}
    }
{%- endmacro %}

{% macro spark__struct_of(fields) -%}
    named_struct(
        {%- for name, expression in fields %}
        '{{ name }}', {{ expression }}{{ "," if not loop.last }}
        {%- endfor %}
    )
{%- endmacro %}
