{% macro is_table_changing_command() -%}
    {{- return(flags.WHICH in ['build', 'run', 'seed', 'snapshot']) -}}
{%- endmacro %}
