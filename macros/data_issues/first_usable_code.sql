{#- The rejection of a row under first_usable_row: blank_id, else the row's own issue, else duplicate for a
    usable row that is not the one used. -#}
{% macro first_usable_code(id_column, row_issue_column, kept_row_column) -%}
    case
        when {{ id_column }} is null then 'blank_id'
        when {{ row_issue_column }} is not null then {{ row_issue_column }}
        when source_row_number != {{ kept_row_column }} then 'duplicate'
    end
{%- endmacro %}
