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
