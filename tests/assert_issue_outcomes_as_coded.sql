-- Each data issue has the outcome its code has in seed issue_codes (codes whose outcome depends on the export,
-- blank there, may have either). The fault it catches: a code recorded as kept in one place and dropped in
-- another, which breaks the books of assert_rows_conserved or the meaning a reader looks up. (That each code is
-- in the seed at all is data_issues' relationships test.) Fails with one row per code and outcome that differ.
with

issues as (
    select * from {{ ref('data_issues') }}
),

codes as (
    select * from {{ ref('issue_codes') }}
),

outcomes_found as (
    select distinct
        issue,
        outcome
    from issues
)

select
    outcomes_found.issue,
    outcomes_found.outcome,
    codes.outcome as coded_outcome
from outcomes_found
inner join codes
    on outcomes_found.issue = codes.issue
where codes.outcome is not null and outcomes_found.outcome != codes.outcome
