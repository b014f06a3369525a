{#- A typed raw value (a Parquet column) as the text a CSV export of it would hold, so that one event's id is the
    same text however it was delivered: the ledger knows events by that text. A floating-point column holding a
    whole number is written without a fraction: pandas writes an integer id column that has one blank as DOUBLE,
    and 123.0 must stay event 123, not become a new event '123.0' that is sent again. Past 2^53 a double no longer
    holds every whole number exactly, so such values keep the engine's own text. NaN is how pandas writes a blank
    in a number column: it is a blank here too (an id of NaN would otherwise be the id 'nan'). Every other type is
    cast as it is (a decimal keeps its scale, as a CSV export of it would), but bytes: a column of bytes (a string
    column some writers store without saying it is text) is read as the UTF-8 text it holds, as Spark casts it,
    never as DuckDB's escaped bytes (Zo\xC3\xAB for Zoë); bytes that are not UTF-8 stop the build. column: quoted
    SQL; data_type: the engine's name. -#}
{% macro raw_value_as_text(column, data_type) -%}
    {%- if data_type | lower in ['float', 'double', 'real', 'float4', 'float8'] -%}
        case when isnan({{ column }}) then null
            when {{ column }} = floor({{ column }}) and abs({{ column }}) <= 9007199254740992
            then cast(cast({{ column }} as bigint) as {{ dbt.type_string() }})
            else cast({{ column }} as {{ dbt.type_string() }}) end
    {%- elif data_type | lower == 'blob' and target.type == 'duckdb' -%}
        decode({{ column }})
    {%- else -%}
        cast({{ column }} as {{ dbt.type_string() }})
    {%- endif -%}
{%- endmacro %}
