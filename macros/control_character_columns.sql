{#- The names of the raw columns (a list) that held control characters, which clean_text removes, joined with
    ", "; null for the rows (nearly all) that held none. One regular expression over the whole row decides
    first, so a clean row costs one scan, not one per column. -#}
{% macro control_character_columns(columns) -%}
    case
        when {{ has_control_characters("concat_ws(''" ~ (", " ~ columns | join(", ") if columns else "") ~ ")") }}
            then concat_ws(
                ', '
                {%- for column in columns %},
                case when {{ has_control_characters(column) }} then '{{ column }}' end
                {%- endfor %}
            )
    end
{%- endmacro %}
