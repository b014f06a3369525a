{#- The first three steps of a staging model over a raw export read as one file (raw_crm_accounts,
    raw_crm_subscriptions, raw_app_users), as import CTEs, the same for each:
      source    each raw row numbered in file order, where the export is read (macro row_number_in_file_order);
      renamed   under the contract's column names (var raw_column_names maps the export's own headers), with its
                custom attributes of attribute_kind (macro contract_columns_of);
      flagged   whether the row holds anything but ordinary characters, tested once for all its values
                (checked_columns, from raw_checked_columns; macros is_plain_row, clean_text).
    The events export is read per file content and writes its own (stg_app__events).
    rows_to_clean (a model built on from one build to the next: stg_app__users): renamed also carries each raw
    row's fingerprint, raw_row_hash (macro row_fingerprint), and only the rows of renamed this condition keeps go
    on to flagged, so that rows unchanged since the last build are not cleaned again. -#}
{% macro raw_export_ctes(source_name, export_name, attribute_kind, checked_columns, rows_to_clean=none) -%}
source as {{ read_where_used() if rows_to_clean is not none }} (
    select
        {{ row_number_in_file_order() }} as source_row_number,
        *
    from {{ source(source_name, export_name) }}
),

renamed as (
    select
        source_row_number,
        {{ contract_columns_of(source_name, export_name, [attribute_kind]) }}
        {%- if rows_to_clean is not none %},
        {{ row_fingerprint(checked_columns | map(attribute=0)) }} as raw_row_hash
        {%- endif %}
    from source
),
{%- if rows_to_clean is not none %}

to_clean as (
    select * from renamed
    where {{ rows_to_clean }}
),
{%- endif %}

flagged as (
    select
        *,
        {{ is_plain_row(checked_columns | map(attribute=0)) }} as is_plain_row
    from {{ 'renamed' if rows_to_clean is none else 'to_clean' }}
)
{%- endmacro %}
