{#- The names of the raw columns that held control characters, which clean_text removes, joined with ", "; null for
    the rows (nearly all) that held none. columns: the contract columns (names), and the custom attributes of
    attribute_kind (named by their raw header in the message). One regular expression over the whole row decides
    first, so a clean row costs one scan, not one per column. -#}
{% macro control_character_columns(columns, attribute_kind=none) -%}
    {%- set checked = [] -%}
    {%- for column in columns -%}{%- do checked.append((column, column)) -%}{%- endfor -%}
    {%- for attribute in (custom_attributes(attribute_kind) if attribute_kind else []) -%}
        {%- do checked.append((attribute.field ~ '_raw', attribute.column)) -%}
    {%- endfor -%}
    case
        when {{ has_control_characters("concat_ws(''" ~ (", " ~ checked | map(attribute=0) | join(", ") if checked else "") ~ ")") }}
            then concat_ws(
                ', '
                {%- for expression, label in checked %},
                case when {{ has_control_characters(expression) }} then {{ sql_literal(label) }} end
                {%- endfor %}
            )
    end
{%- endmacro %}
