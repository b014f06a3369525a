{#- A date or UTC timestamp expression, or null where it falls outside the range the project accepts (vars
    earliest_valid_date and latest_valid_date, both inclusive): a year 0001 or 9999 is a placeholder or a typo,
    not a date to send (data_type: date, or by default a UTC timestamp). The bounds reach SQL as quoted literals. -#}
{% macro in_valid_date_range(expression, data_type=none) -%}
    case
        when {{ expression }} >= cast({{ sql_literal(var('earliest_valid_date')) }} as {{ data_type or utc_timestamp_type() }})
            and {{ expression }} < cast({{ sql_literal(var('latest_valid_date')) }} as date) + 1
            then {{ expression }}
    end
{%- endmacro %}
