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
