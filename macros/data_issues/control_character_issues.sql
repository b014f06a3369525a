{#- One kept data issue per raw row whose values held control characters (removed in staging, clean_text). -#}
{% macro control_character_issues(source_name, rows, key_column, carry=[]) -%}
    select
        {% call data_issue_row(source_name, key_column, issue='control_characters', carry=carry) -%}
        'Control characters (such as NUL) were removed from ' || control_character_columns || '.'
        {%- endcall %}
    from {{ rows }}
    where control_character_columns is not null
{%- endmacro %}
