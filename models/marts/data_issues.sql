-- data_issues.csv: what was wrong with the raw exports, for the people who run the pipeline (not uploaded).
with

issues as (
    select * from {{ ref('int_data_issues') }}
)

select
    source,
    source_key,
    issue,
    detail,
    outcome
from issues
order by source, source_row_number, issue, detail
