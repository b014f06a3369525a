{#- A raw text value cleaned: control characters removed, white space of every kind trimmed from both ends,
    and a value left empty made null (a blank cell means "no value"). Values with nothing unusual in them (all
    but a few) take the fast path, a plain trim of spaces: a regular expression on every value of ten million
    rows would cost seconds. has_control_characters says where the cleaning removed something, for the record. -#}
{% macro clean_text(column_name) -%}
    nullif(
        case
            when regexp_matches({{ column_name }}, '{{ character_class("unusual") }}')
                then regexp_replace(
                    regexp_replace({{ column_name }}, '{{ character_class("control") }}', '', 'g'),
                    '^{{ character_class("white_space") }}+|{{ character_class("white_space") }}+$', '', 'g'
                )
            else trim({{ column_name }})
        end,
        ''
    )
{%- endmacro %}

{% macro has_control_characters(column_name) -%}
    coalesce(regexp_matches({{ column_name }}, '{{ character_class("control") }}'), false)
{%- endmacro %}
