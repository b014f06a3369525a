-- Conservation, for each raw export: rows in = rows used + rows recorded as dropped in the data issues.
-- The fault it catches: a raw row lost without a word (left out with no data issue), or counted twice (a join
-- that multiplies rows). The project's one check of it: it runs in every build, on every input the tests feed.
-- Fails with one row per export whose books do not balance.
with

rows_in as (
    -- The events export is parsed once per file content: its rows are counted per file (copies included).
    select
        'raw_app_events' as source,
        coalesce(sum(row_count), 0) as row_count
    from {{ ref('int_event_files') }}
    union all
    {%- for model, source in [
        ('stg_crm__accounts', 'raw_crm_accounts'),
        ('stg_crm__subscriptions', 'raw_crm_subscriptions'),
        ('stg_app__users', 'raw_app_users'),
    ] %}
        select
            '{{ source }}' as source,
            count(*) as row_count
        from {{ ref(model) }}
        {{ "union all" if not loop.last }}
    {%- endfor %}
),

rows_used as (
    select
        'raw_crm_accounts' as source,
        count(*) as row_count
    from {{ ref('totango_accounts') }}
    where {{ quote_identifier('Account Type') }} != 'Product'
    union all
    select
        'raw_crm_subscriptions' as source,
        coalesce(sum(subscription_count), 0) as row_count
    from {{ ref('int_product_accounts_rolled_up') }}
    union all
    select
        'raw_app_users' as source,
        count(*) as row_count
    from {{ ref('totango_users') }}
    union all
    -- Each current event row is one row of int_events_checked: the row an id is (or was) sent as, or a row left out.
    select
        'raw_app_events' as source,
        count(*) as row_count
    from {{ ref('int_events_checked') }}
    where rejection_code is null
),

rows_dropped as (
    select
        source,
        count(*) as row_count
    from {{ ref('data_issues') }}
    where outcome = 'dropped'
    group by source
)

select
    rows_in.source,
    rows_in.row_count as rows_in,
    rows_used.row_count as rows_used,
    coalesce(rows_dropped.row_count, 0) as rows_dropped
from rows_in
inner join rows_used
    on rows_in.source = rows_used.source
left join rows_dropped
    on rows_in.source = rows_dropped.source
where rows_in.row_count != rows_used.row_count + coalesce(rows_dropped.row_count, 0)
