{#- The Account Type of a CRM account at a depth of its tree (0 at the top), from var account_type_names. Totango
    needs a different type on every level, so the levels deeper than the list names take its last name and a
    number: with Organization, Division, Subsidiary, depth 3 is "Subsidiary 2", depth 4 "Subsidiary 3". -#}
{% macro account_type_for_depth(depth_column) -%}
    {%- set names = var('account_type_names') -%}
    case
        {%- for name in names[:-1] %}
        when {{ depth_column }} = {{ loop.index0 }} then {{ sql_literal(name) }}
        {%- endfor %}
        when {{ depth_column }} = {{ names | length - 1 }} then {{ sql_literal(names[-1]) }}
        else {{ sql_literal(names[-1] ~ ' ') }} || cast({{ depth_column }} - {{ names | length - 2 }} as {{ dbt.type_string() }})
    end
{%- endmacro %}
