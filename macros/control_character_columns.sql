{#- The raw values a staging model checks for unusual characters: (expression, label) for each contract column
    (names) and, for attribute_kind, each custom attribute of that kind (labelled by its raw header). -#}
{% macro raw_checked_columns(columns, attribute_kind=none) -%}
    {%- set checked = [] -%}
    {%- for column in columns -%}{%- do checked.append((column, column)) -%}{%- endfor -%}
    {%- for attribute in (custom_attributes(attribute_kind) if attribute_kind else []) -%}
        {%- do checked.append((attribute.field ~ '_raw', attribute.column)) -%}
    {%- endfor -%}
    {{ return(checked) }}
{%- endmacro %}

{#- The raw columns a row's control characters were in (clean_text removes them), joined with ", "; null for the
    rows (nearly all) that held none. checked_columns: from raw_checked_columns; plain_flag: the row's
    is_plain_row, which rules out control characters at once. -#}
{% macro control_character_columns(checked_columns, plain_flag='is_plain_row') -%}
    case
        when not {{ plain_flag }}
            then nullif(concat_ws(
                ', '
                {%- for expression, label in checked_columns %},
                case when {{ has_control_characters(expression) }} then {{ sql_literal(label) }} end
                {%- endfor %}
            ), '')
    end
{%- endmacro %}
