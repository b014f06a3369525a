{#- What a value of each type must be, for the data-issues record. -#}
{% macro attribute_type_wording(type) -%}
    {{- return({
        'number': 'a number with a dot for decimals and no thousands separator',
        'currency': 'an amount with a dot for decimals and no thousands separator or currency sign',
        'date': 'a YYYY-MM-DD date between ' ~ var('earliest_valid_date') ~ ' and ' ~ var('latest_valid_date'),
        'yes_no': 'yes/no, true/false or 1/0',
    }.get(type, 'text')) -}}
{%- endmacro %}
