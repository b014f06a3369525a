{#- An ISO 8601 text timestamp as a UTC timestamp (without time zone), or null when it cannot be read.
    With an offset (Z, +02:00, -0500) the moment is converted to UTC. Without one it is UTC already (contract):
    DuckDB reads it in the session time zone, which profiles.yml pins to UTC; the unit test
    events_timestamps_are_converted_to_utc fails if that ever changes. -#}
{% macro to_utc_timestamp(column_name) -%}
    {{ try_cast_text(column_name, "timestamptz") }} at time zone 'UTC'
{%- endmacro %}
