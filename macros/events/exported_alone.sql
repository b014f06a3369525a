{#- Whether a row of int_events_checked (alias: the relation's name) is an event an export has sent since the
    row was checked, alone of its id: the row its id was to be sent as, in a build an export sent from. Nothing
    else about it can have changed (its id has no other row, and its file is still there, or it would be open),
    so it is not checked again: it is marked sent (mark_exported_events). -#}
{% macro exported_alone(alias) -%}
    {%- set builds = exported_builds() -%}
    {%- if not builds -%}
        {#- No build was exported yet: no row is (an empty `in` list would make every row unknown, not false). -#}
        false
    {%- else -%}
    ({{ alias }}.rejection_code is null and not {{ alias }}.was_sent and {{ alias }}.id_row_count = 1
        and {{ alias }}.checked_in_build in {{ in_list(builds) }})
    {%- endif -%}
{%- endmacro %}
