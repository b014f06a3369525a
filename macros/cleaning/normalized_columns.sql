{#- The raw id columns (names) whose value reading in NFC changed, joined with ", "; null for the rows (nearly
    all) where none did. Recorded as a kept data issue (unicode_normalized): two ids written in the two forms
    are now one id. -#}
{% macro normalized_columns(columns, plain_flag='is_plain_row') -%}
    nullif(concat_ws(
        ', '
        {%- for column in columns %},
        case
            when {{ clean_text(column, plain_flag, normalize=false) }} != {{ clean_text(column, plain_flag) }}
                then {{ sql_literal(column) }}
        end
        {%- endfor %}
    ), '')
{%- endmacro %}
