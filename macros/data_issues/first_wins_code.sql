{#- The rule every raw export shares: a row with a blank id is rejected (blank_id), and of the rows of one id
    only the kept one goes on (duplicate): kept_row_column is the source_row_number of the row that won, by the
    export's own rule (first in the file, latest update...). first_wins_code gives the code; first_wins_detail
    the branches of a `case <code column>` that word it. (The events still use first_wins_code as it is.) -#}
{% macro first_wins_code(id_column, kept_row_column) -%}
    case
        when {{ id_column }} is null then 'blank_id'
        when source_row_number != {{ kept_row_column }} then 'duplicate'
    end
{%- endmacro %}
