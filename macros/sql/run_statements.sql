{#- What a hook runs, as a list of statements. DuckDB runs them as one script, the hook's SQL (the hook runs it
    itself, so a failing statement fails the hook). Spark runs one statement per call: they are run here, in
    order, and the hook's own SQL is left empty. -#}
{% macro run_statements(statements) -%}
    {{- return(adapter.dispatch('run_statements', 'totango_feed')(statements)) -}}
{%- endmacro %}

{% macro default__run_statements(statements) -%}
    {{- statements | join(';\n') ~ (';' if statements else '') -}}
{%- endmacro %}

{% macro spark__run_statements(statements) -%}
    {%- for statement in statements -%}
        {%- do run_query(statement) -%}
    {%- endfor -%}
{%- endmacro %}
