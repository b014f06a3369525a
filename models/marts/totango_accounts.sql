-- accounts.csv: the CRM accounts that are sent, then the product accounts under them, in Totango's columns.
-- Rows are stored in tree order (each account right after its parent's subtree begins), so parents come
-- before their children; export.py reads them back in that order.
with

crm_accounts as (
    select * from {{ ref('int_crm_accounts_rolled_up') }}
    where is_sent
),

product_accounts as (
    select * from {{ ref('int_product_accounts_rolled_up') }}
),

crm_rows as (
    select
        account_id,
        account_name,
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
    from crm_accounts
),

product_rows as (
    select
        product_accounts.product_account_id as account_id,
        owners.account_name || ' - ' || product_accounts.product_name as account_name,
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
        list_append(owners.path_ids, product_accounts.product_account_id) as tree_order
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
    account_id as "Account ID",
    account_name as "Account Name",
    parent_account_id as "Parent ID",
    account_type as "Account Type",
    status as "Status",
    product_id as "Product ID",
    industry as "Industry",
    region as "Region",
    segment as "Segment",
    csm_email as "CSM",
    contract_value as "Contract Value",
    currency as "Currency",
    seats as "Seats",
    plan as "Plan",
    contract_start_date as "Contract Start Date",
    contract_renewal_date as "Contract Renewal Date",
    created_date as "Created Date"
from all_rows
order by tree_order
