-- Every staged CRM account row, with the reason it is left out, if it is. An account id that appears more
-- than once keeps the row updated latest (a tie, or no update time: the first in the file).
with

accounts as (
    select * from {{ ref('stg_crm__accounts') }}
),

ranked as (
    select
        *,
        row_number() over by_id as version_rank,
        first_value(source_row_number) over by_id as kept_row_number
    from accounts
    window by_id as (
        partition by account_id
        order by updated_at desc nulls last, source_row_number asc
    )
),

checked as (
    select
        *,
        case
            when account_id is null then 'blank_id'
            when version_rank > 1 then 'duplicate'
        end as rejection_code,
        case
            when account_id is null
                then 'The account_id is blank; fill it in the CRM export.'
            when version_rank > 1
                then
                    'account_id ' || account_id || ' appears more than once; row '
                    || kept_row_number || ', the latest updated, was kept.'
        end as rejection_detail
    from ranked
)

select * from checked
