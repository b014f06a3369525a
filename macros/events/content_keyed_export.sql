{% macro content_keyed_export() -%}raw_app_events{%- endmacro %}
