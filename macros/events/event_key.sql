{#- The key int_events_checked replaces rows by: an event id, or for a row without one, its place (file content,
    copy, row). chr(1) cannot be in a cleaned id (clean_text removes it). -#}
{% macro event_key(event_id, file_hash, file_copy, file_row_number) -%}
    coalesce(
        {{ event_id }},
        chr(1) || 'blank:' || {{ file_hash }} || ':' || cast({{ file_copy }} as {{ dbt.type_string() }}) || ':'
        || cast({{ file_row_number }} as {{ dbt.type_string() }})
    )
{%- endmacro %}
