{#- One kept data issue per raw row whose ids were read in NFC (staging's normalized_columns). -#}
{% macro normalization_issues(source_name, rows, key_column) -%}
    select
        {% call data_issue_row(source_name, key_column, issue='unicode_normalized') -%}
        'The value of ' || normalized_columns || ' was not in Unicode''s composed form (NFC: an accent written as '
        || 'a separate mark, as macOS writes it, or the like); it was read in that form, so that it is the same '
        || 'id however it was written.'
        {%- endcall %}
    from {{ rows }}
    where normalized_columns is not null
{%- endmacro %}
