{#- An ISO 8601 text timestamp as a UTC timestamp (without time zone), or null when it cannot be read.
    With an offset (Z, +02:00, -0500) the moment is converted to UTC; without one it is UTC already (contract),
    so it is read as is, whatever the session's time zone. -#}
{% macro to_utc_timestamp(column_name) -%}
    case
        when regexp_matches(trim({{ column_name }}), '\d{2}:\d{2}(:\d{2}(\.\d+)?)?\s*(Z|z|[+-]\d{2}(:?\d{2})?)$')
            then {{ try_cast_text(column_name, "timestamptz") }} at time zone 'UTC'
        else {{ try_cast_text(column_name, "timestamp") }}
    end
{%- endmacro %}
