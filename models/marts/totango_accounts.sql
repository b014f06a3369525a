-- sqlfluff:exclude_rules:references.keywords,references.special_chars,references.quoting,ambiguous.column_count,structure.column_order,layout.indent
-- (.sqlfluff's list, and layout.indent: the custom attribute columns come from Jinja loops it cannot follow.)
-- accounts.csv: the CRM accounts that are sent, then the product accounts under them, in Totango's columns, then
-- the custom attributes (vars account_attributes and product_account_attributes). Rows are stored in tree order
-- (each account right after its parent's subtree begins), so parents come before their children; export.py
-- reads them back in that order. Text is cut to Totango's limits (a data issue each time).
-- The contract is enforced when no custom attribute is configured: attribute columns are the user's, not known
-- to the contract (tests/assert_file_headers.sql checks the fixed columns either way).
{%- do validate_project_vars() %}
{%- set attributes = file_attributes(['account', 'product_account']) %}
{{ config(contract={'enforced': attributes | length == 0}) }}

with

crm_accounts as (
    select * from {{ ref('int_crm_accounts_rolled_up') }}
    where is_sent
),

product_accounts as {{ read_where_used() }} (
    select * from {{ ref('int_product_accounts_rolled_up') }}
),

crm_rows as (
    select
        account_id,
        {{ within_limit('account_name', output_limit('accounts.csv', 'Account Name')) }} as account_name,
        parent_account_id,
        {{ account_type_for_depth('depth') }} as account_type,
        status,
        null as product_id,
        industry,
        region,
        segment,
        csm_email,
        null::decimal(38, 2) as contract_value,
        null as currency,
        null::bigint as seats,
        null as plan,
        null::date as contract_start_date,
        null::date as contract_renewal_date,
        created_date,
        path_ids as tree_order
        {%- for attribute in attributes %},
        {{ attribute.fields.get('account', 'null') }} as attribute_{{ loop.index }}
        {%- endfor %}
    from crm_accounts
),

product_rows as (
    select
        product_accounts.product_account_id as account_id,
        product_accounts.account_name,
        product_accounts.account_id as parent_account_id,
        'Product' as account_type,
        product_accounts.status,
        product_accounts.product_key as product_id,
        owners.industry,
        owners.region,
        owners.segment,
        owners.csm_email,
        product_accounts.contract_value,
        product_accounts.currency,
        product_accounts.seats,
        product_accounts.plan,
        product_accounts.contract_start_date,
        product_accounts.contract_renewal_date,
        null::date as created_date,
        {{ dbt.array_append('owners.path_ids', 'product_accounts.product_account_id') }} as tree_order
        {%- for attribute in attributes %},
        {{ 'product_accounts.' ~ attribute.fields.product_account if 'product_account' in attribute.fields
            else 'null' }} as attribute_{{ loop.index }}
        {%- endfor %}
    from product_accounts
    inner join crm_accounts as owners
        on product_accounts.account_id = owners.account_id
),

all_rows as (
    select * from crm_rows
    union all
    select * from product_rows
)

select
    {{- output_select('accounts.csv', {
        'Account ID': 'account_id',
        'Account Name': 'account_name',
        'Parent ID': 'parent_account_id',
        'Account Type': 'account_type',
        'Status': 'status',
        'Product ID': 'product_id',
        'Industry': 'industry',
        'Region': 'region',
        'Segment': 'segment',
        'CSM': 'csm_email',
        'Contract Value': 'contract_value',
        'Currency': 'currency',
        'Seats': 'seats',
        'Plan': 'plan',
        'Contract Start Date': 'contract_start_date',
        'Contract Renewal Date': 'contract_renewal_date',
        'Created Date': 'created_date',
    }, cut_before=['Account Name']) }}
    {%- for attribute in attributes %},
    {{ within_limit('attribute_' ~ loop.index, 'account_text') }} as {{ quote_identifier(attribute.name) }}
    {%- endfor %}
from all_rows
order by tree_order
