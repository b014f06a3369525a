{#- A cleaned text timestamp as a UTC timestamp (without time zone), or null when it is not an ISO 8601 timestamp
    (macro iso_timestamp_pattern) or falls outside the accepted range (macro in_valid_date_range).
    With an offset (Z, +02:00, -0500) the moment is converted to UTC. Without one it is UTC already (contract):
    both engines read it in the session time zone, which profiles.yml pins to UTC; the unit test
    events_timestamps_are_converted_to_utc fails if that ever changes.
    A model with millions of rows parses once (parse_utc_timestamp) and checks the range on the parsed column in
    a later step: the range check names the value three times, and the cast is not shared between them. -#}
{% macro to_utc_timestamp(text_expression) -%}
    {{ in_valid_date_range(parse_utc_timestamp(text_expression)) }}
{%- endmacro %}
