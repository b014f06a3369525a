-- sqlfluff:exclude_rules:references.keywords,references.special_chars,references.quoting,ambiguous.column_count,structure.column_order,layout.indent
-- (.sqlfluff's list, and layout.indent: the custom attribute columns come from Jinja loops it cannot follow.)
-- Product users, one row per raw row, cleaned and typed. The users export is re-delivered whole each day: a table
-- built on from one build to the next (incremental, on DuckDB), where only the rows new or changed since the last
-- build (by the raw row's fingerprint, raw_row_hash, at its position) are cleaned and typed again; the others stay
-- as stored, rows past the export's end leave. A build on other rules (user_check_plan), --full-refresh, and Spark
-- (a view) read every row. A users export that is the same bytes as the one the last build staged is not read at
-- all (users_export_unchanged).
{%- set rules_version = user_rules_version() %}
{%- set plan = user_check_plan(rules_version) %}
{%- set content = users_export_content() %}
{{ users_by_position_config('view', 'staged_in_build', ["{{ forget_users_content_read_changed(this) }}"]) }}
{{ follow_seed('raw_app_users') }}
-- The raw values checked for unusual characters (macros is_plain_row, control_character_columns).
{%- set checked_columns = raw_checked_columns(contract_column_names('app', 'raw_app_users'), 'user') %}
{#- The rows to clean: all, or those whose fingerprint differs from the row stored at their position, and the
    export's last row, always, so that the post-hook knows where the export ends now. #}
{%- set rows_to_clean = 'true' if plan.full else
    'not exists (select 1 from ' ~ this ~ ' as stored where stored.source_row_number = renamed.source_row_number'
    ~ ' and stored.raw_row_hash = renamed.raw_row_hash)'
    ~ ' or renamed.source_row_number = (select max(last_row.source_row_number) from source as last_row)' %}
{%- if users_export_unchanged(plan, content) %}
-- The users export is the same bytes as the one the last build staged (users_export_unchanged): it is not read.
-- Every stored row stays; the last row is written again, as every build writes it, so that the post-hook
-- forget_rows_past_the_end, and int_users_checked, find the export's end where it was.
select * replace ({{ sql_literal(invocation_id) }} as staged_in_build)
from {{ this }}
where source_row_number = (select max(stored.source_row_number) from {{ this }} as stored)
{%- else %}
with

{{ raw_export_ctes('app', 'raw_app_users', 'user', checked_columns, rows_to_clean) }},

cleaned as (
    select
        -- Clean text (macro cleaned_columns); emails are compared trimmed and in lower case (contract).
        {{ cleaned_columns('app', 'raw_app_users', 'user', checked_columns, 'user_id',
            ids=['user_id', 'email', 'account_id', 'product'], aliases={'product': 'product_name',
            'is_key_contact': 'is_key_contact_text', 'created_at': 'created_at_text',
            'last_login_at': 'last_login_at_text'}, lowered=['email']) }},
        raw_row_hash
    from flagged
),

typed as (
    select
        *,
        {{ product_key('product_name') }} as product_key,
        {{ to_boolean('is_key_contact_text') }} as is_key_contact,
        {{ to_utc_timestamp('created_at_text') }} as created_at,
        {{ to_utc_timestamp('last_login_at_text') }} as last_login_at
        {{ attribute_columns('user', 'typed') }},
        {{ sql_literal(rules_version) }} as rules_version,
        {{ sql_literal(invocation_id) }} as staged_in_build,
        -- What the export was when this build staged the row (users_export_content); null in seed mode and on Spark.
        {{ sql_literal(content) if content is not none else 'cast(null as ' ~ dbt.type_string() ~ ')' }}
            as staged_content
    from cleaned
)

select * from typed
{%- endif %}
