-- sqlfluff:exclude_rules:references.keywords,references.special_chars,references.quoting,ambiguous.column_count,structure.column_order,layout.indent
-- (.sqlfluff's list, and layout.indent: the custom attribute columns come from Jinja loops it cannot follow.)
{{ follow_seed('raw_crm_accounts') }}
-- The raw values checked for unusual characters (macros is_plain_row, control_character_columns).
{%- set checked_columns = raw_checked_columns(contract_column_names('crm', 'raw_crm_accounts'), 'account') %}
with

{{ raw_export_ctes('crm', 'raw_crm_accounts', 'account', checked_columns) }},

cleaned as (
    select
        -- Clean text of every contract column (macro cleaned_columns); the CSM's email is compared in lower case.
        {{ cleaned_columns('crm', 'raw_crm_accounts', 'account', checked_columns, 'account_id',
            ids=['account_id', 'parent_account_id'], aliases={'csm_email': 'csm_email_text',
            'created_at': 'created_at_text', 'updated_at': 'updated_at_text'}, lowered=['csm_email']) }}
    from flagged
),

typed as (
    select
        *,
        case when {{ is_valid_email('csm_email_text') }} then csm_email_text end as csm_email,
        {{ to_date('created_at_text') }} as created_date,
        {{ to_utc_timestamp('updated_at_text') }} as updated_at
        {{ attribute_columns('account', 'typed') }}
    from cleaned
)

select * from typed
