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

{#- The row used for each id: the first row that can be used, in the export's own order (order_by: "first in
    the file", "latest login, then first in the file"...). A row that cannot be used (row_issue_column not null:
    an unknown account, an invalid email...) never shadows one that can: it keeps its own issue, and the id is
    used as its first usable row. The source_row_number of that row; where no row of the id can be used, that of
    a row that cannot, which first_usable_code never compares, since each such row keeps its own issue. -#}
{% macro first_usable_row(id_column, row_issue_column, order_by) -%}
    first_value(source_row_number) over (
        partition by {{ id_column }}
        order by case when {{ row_issue_column }} is null then 0 else 1 end, {{ order_by }}
    )
{%- endmacro %}

{#- The rejection of a row under first_usable_row: blank_id, else the row's own issue, else duplicate for a
    usable row that is not the one used. -#}
{% macro first_usable_code(id_column, row_issue_column, kept_row_column) -%}
    case
        when {{ id_column }} is null then 'blank_id'
        when {{ row_issue_column }} is not null then {{ row_issue_column }}
        when source_row_number != {{ kept_row_column }} then 'duplicate'
    end
{%- endmacro %}

{#- The branches of a `case <code column>` that word blank_id and duplicate. The duplicate names the row used
    (kept_row_column), which is always a row that can be used (first_usable_row); used_note: an expression
    appended to the sentence (null for nothing), e.g. what became of the used row. -#}
{% macro first_wins_detail(id_name, id_column, kept_row_column, kept_because, export_name, used_note='null') -%}
    when 'blank_id' then 'The {{ id_name }} is blank; fill it in the {{ export_name }}.'
    when 'duplicate'
        then
            '{{ id_name }} ' || {{ id_column }} || ' appears more than once; row ' || {{ kept_row_column }}
            || ', {{ kept_because }}, is the one used' || coalesce({{ used_note }}, '') || '.'
{%- endmacro %}
