{#- The typed value of a custom attribute, as the text the file will hold, from its cleaned raw text; null when the
    text cannot be read as the type (a data issue, recorded): number and currency as written, without thousands
    separators (-12.5); date as YYYY-MM-DD; yes_no as yes or no; text as it is. -#}
{% macro typed_attribute(type, text_expression) -%}
    {%- if type in ['number', 'currency'] -%}
        case when {{ regex_full_match(text_expression, '-?[0-9]{1,20}([.][0-9]{1,10})?') }} then {{ text_expression }} end
    {%- elif type == 'date' -%}
        cast({{ to_date(text_expression) }} as {{ dbt.type_string() }})
    {%- elif type == 'yes_no' -%}
        case {{ to_boolean(text_expression) }} when true then 'yes' when false then 'no' end
    {%- else -%}
        {{ text_expression }}
    {%- endif -%}
{%- endmacro %}
