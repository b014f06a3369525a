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

{% macro parse_utc_timestamp(text_expression) -%}
    case
        when {{ regex_full_match(text_expression, iso_timestamp_pattern()) }}
            then {{ iso_text_to_utc_timestamp(text_expression) }}
    end
{%- endmacro %}

{#- The type of a UTC timestamp without zone: DuckDB's timestamp; Spark's timestamp is an instant shown in the
    session zone, its timestamp_ntz the wall-clock value DuckDB's timestamp is (and Parquet keeps as such). -#}
{% macro utc_timestamp_type() -%}
    {{- return(adapter.dispatch('utc_timestamp_type', 'totango_feed')()) -}}
{%- endmacro %}

{% macro default__utc_timestamp_type() -%}timestamp{%- endmacro %}

{% macro spark__utc_timestamp_type() -%}timestamp_ntz{%- endmacro %}

{#- Text of the ISO shape (checked by the caller) as a UTC timestamp, null when the engine cannot read it
    (2026-02-30). Spark reads no time without seconds (10:00Z), which DuckDB reads, so ":00" is added first. -#}
{% macro iso_text_to_utc_timestamp(text_expression) -%}
    {{- return(adapter.dispatch('iso_text_to_utc_timestamp', 'totango_feed')(text_expression)) -}}
{%- endmacro %}

{% macro default__iso_text_to_utc_timestamp(text_expression) -%}
    try_cast({{ text_expression }} as timestamptz) at time zone 'UTC'
{%- endmacro %}

{% macro spark__iso_text_to_utc_timestamp(text_expression) -%}
    cast(try_cast(
        regexp_replace({{ text_expression }}, {{ regex_literal('^([0-9]{4}-[0-9]{2}-[0-9]{2}[T ][0-9]{2}:[0-9]{2})(?!:)') }}, '$1:00')
        as timestamp
    ) as timestamp_ntz)
{%- endmacro %}

{#- Now, in UTC, as a timestamp without zone (for the build record). -#}
{% macro utc_now() -%}
    {{- return(adapter.dispatch('utc_now', 'totango_feed')()) -}}
{%- endmacro %}

{% macro default__utc_now() -%}current_timestamp::timestamp{%- endmacro %}

{% macro spark__utc_now() -%}cast(current_timestamp() as timestamp_ntz){%- endmacro %}
