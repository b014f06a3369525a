{#- Lists (DuckDB) and arrays (Spark) where the two spell them differently; dbt's cross-database macros
    array_construct and array_append cover building them, and array_contains is the same on both. -#}

{#- How many items a list holds. -#}
{% macro list_size(expression) -%}
    {{- return(adapter.dispatch('list_size', 'totango_feed')(expression)) -}}
{%- endmacro %}

{% macro default__list_size(expression) -%}len({{ expression }}){%- endmacro %}

{% macro spark__list_size(expression) -%}size({{ expression }}){%- endmacro %}

{#- In a select list: one row per item of the list, the other columns repeated. -#}
{% macro unnest_list(expression) -%}
    {{- return(adapter.dispatch('unnest_list', 'totango_feed')(expression)) -}}
{%- endmacro %}

{% macro default__unnest_list(expression) -%}unnest({{ expression }}){%- endmacro %}

{% macro spark__unnest_list(expression) -%}explode({{ expression }}){%- endmacro %}

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

{#- Every column of a relation but those named: DuckDB writes * exclude (...), Spark * except (...). -#}
{% macro star_except(columns, relation=none) -%}
    {{- return(adapter.dispatch('star_except', 'totango_feed')(columns, relation)) -}}
{%- endmacro %}

{% macro default__star_except(columns, relation) -%}
    {{ relation ~ '.' if relation }}* exclude ({{ columns | join(', ') }})
{%- endmacro %}

{% macro spark__star_except(columns, relation) -%}
    {{ relation ~ '.' if relation }}* except ({{ columns | join(', ') }})
{%- endmacro %}

{#- The list in reverse order. -#}
{% macro list_reversed(expression) -%}
    {{- return(adapter.dispatch('list_reversed', 'totango_feed')(expression)) -}}
{%- endmacro %}

{% macro default__list_reversed(expression) -%}list_reverse({{ expression }}){%- endmacro %}

{% macro spark__list_reversed(expression) -%}reverse({{ expression }}){%- endmacro %}
