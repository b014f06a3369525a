{#- The shape of an ISO 8601 date or timestamp the project reads: YYYY-MM-DD, optionally a time (T or a space;
    hh:mm, :ss, a fraction) and a UTC offset (Z, ±hh, ±hhmm, ±hh:mm, at most 14 hours: no zone is further from
    UTC). Checked before the value is cast, because DuckDB's cast also takes words (infinity, -infinity, epoch),
    years before 0001 or after 9999, and offsets of any size. -#}
{% macro iso_timestamp_pattern() -%}
    {{- return('^[0-9]{4}-[0-9]{2}-[0-9]{2}([T ][0-9]{2}:[0-9]{2}(:[0-9]{2}([.][0-9]{1,9})?)?(Z|[+-]((0[0-9]|1[0-3])(:?[0-5][0-9])?|14(:?00)?))?)?$') -}}
{%- endmacro %}
