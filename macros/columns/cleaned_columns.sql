{#- The select list of a staging model's `cleaned` step over its `flagged` rows (macro raw_export_ctes):
      - source_row_number, and the export's key as written (raw_<key>: data issues quote it);
      - every contract column of the raw export (macro contract_column_names), in contract order, as clean text
        (macro clean_text, with the row's is_plain_row flag), under its own name unless aliases gives another
        (<column>_text for a text still to be typed, e.g. created_at_text); the columns in lowered are compared
        in lower case (emails, statuses);
      - control_character_columns: the raw columns whose control characters were removed (checked_columns, from
        raw_checked_columns);
      - normalized_columns: the ids (ids, raw column names) whose reading in NFC changed them (a data issue: two
        forms of one id are one id);
      - the cleaned text of each custom attribute of attribute_kind (macro attribute_columns). -#}
{% macro cleaned_columns(source_name, export_name, attribute_kind, checked_columns, key, ids, aliases={},
    lowered=[]) -%}
        source_row_number,
        {{ key }} as raw_{{ key }},
    {%- for column in contract_column_names(source_name, export_name) -%}
        {%- set cleaned = clean_text(column, 'is_plain_row') -%}
        {{ 'lower(' ~ cleaned ~ ')' if column in lowered else cleaned }} as {{ aliases.get(column, column) }},
        {% endfor -%}
        {{ control_character_columns(checked_columns) }} as control_character_columns,
        {{ normalized_columns(ids) }} as normalized_columns
        {{ attribute_columns(attribute_kind, 'cleaned') }}
{%- endmacro %}
