-- sqlfluff:exclude_rules:references.keywords,references.special_chars,references.quoting,ambiguous.column_count,structure.column_order,layout.indent
-- (.sqlfluff's list, and layout.indent: the custom attribute columns come from Jinja loops it cannot follow.)
-- One product account per (CRM account, product), rolled up from its valid subscription lines:
-- value and seats summed over the live (active or trial) lines, 0 when none is live;
-- renewal the earliest live renewal, else the latest of any line; status active > trial > churned.
-- Live lines in more than one currency cannot be summed: the value and currency are left blank (a data issue).
-- A line whose currency is not an ISO 4217 code adds no value (a data issue); its seats still count.
with

lines as (
    select
        {{ star_except(['contract_value']) }},
        case when currency is not null then contract_value end as contract_value,
        -- Which line gives the product account its Plan (and its custom attributes): the live line that started
        -- last; with no live line, the line that started last; a tie, the last in the file. (A line with no
        -- start date counts as the earliest: valid dates start in 1900.)
        {{ struct_of([
            ('is_live', 'cast(is_live as integer)'),
            ('start_date', "coalesce(start_date, cast('0001-01-01' as date))"),
            ('source_row_number', 'source_row_number'),
        ]) }} as plan_line_key
    from {{ ref('int_subscriptions_checked') }}
    where rejection_code is null
),

accounts as {{ read_where_used() }} (
    select * from {{ ref('int_accounts_deduplicated') }}
),

rolled_up as (
    select
        account_id,
        product_key,
        -- The product's display name: its first spelling in the file.
        min_by(product_name, source_row_number) as product_name,
        min(source_row_number) as first_line_row,
        count(*) as subscription_count,
        count(*) filter (where is_live) as live_subscription_count,
        count(distinct currency) filter (where is_live) as live_currency_count,
        case
            when bool_or(is_live) then sum(contract_value) filter (where is_live)
            else 0
        end as summed_contract_value,
        case
            when bool_or(is_live) then min(currency) filter (where is_live)
            else min(currency)
        end as single_currency,
        case
            when bool_or(is_live) then sum(seats) filter (where is_live)
            else 0
        end as seats,
        max_by(plan, plan_line_key) as plan,
        max_by(source_row_number, plan_line_key) as plan_line_row,
        {%- for attribute in custom_attributes('product_account') %}
        max_by({{ attribute.field }}, plan_line_key) as {{ attribute.field }},
        {%- endfor %}
        min(start_date) as contract_start_date,
        coalesce(min(renewal_date) filter (where is_live), max(renewal_date)) as contract_renewal_date,
        -- A live status other than active and trial (var live_statuses: "renewing", say) counts as active:
        -- its value and seats are counted, so the product account is not churned.
        {{ rolled_up_status("case when is_live and status not in ('active', 'trial') then 'active' else status end") }}
            as status
    from lines
    group by account_id, product_key
),

final as (
    select
        {{ product_account_id('rolled_up.account_id', 'rolled_up.product_key') }} as product_account_id,
        rolled_up.account_id,
        rolled_up.product_key,
        rolled_up.product_name,
        -- Its Account Name in Totango, "<CRM name> - <product>", cut to Totango's limit (a data issue).
        accounts.account_name || ' - ' || rolled_up.product_name as full_account_name,
        {{ within_limit("accounts.account_name || ' - ' || rolled_up.product_name",
            output_limit('accounts.csv', 'Account Name')) }} as account_name,
        rolled_up.first_line_row,
        rolled_up.plan_line_row,
        rolled_up.status,
        -- Sums in wide types: two large lines must not overflow (and stop the build).
        (
            case when rolled_up.live_currency_count <= 1 then rolled_up.summed_contract_value end
        )::decimal(38, 2) as contract_value,
        case when rolled_up.live_currency_count <= 1 then rolled_up.single_currency end as currency,
        rolled_up.live_currency_count > 1 as has_mixed_currencies,
        rolled_up.seats::bigint as seats,
        rolled_up.plan,
        rolled_up.contract_start_date,
        rolled_up.contract_renewal_date,
        rolled_up.subscription_count,
        rolled_up.live_subscription_count
        {%- for attribute in custom_attributes('product_account') %},
        rolled_up.{{ attribute.field }}
        {%- endfor %}
    from rolled_up
    inner join accounts
        on rolled_up.account_id = accounts.account_id
)

select * from final
