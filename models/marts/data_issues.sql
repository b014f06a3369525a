-- data_issues.csv: what was wrong with the raw exports, for the people who run the pipeline (not uploaded).
with

issues as (
    select * from {{ ref('int_data_issues') }}
)

select
    {{- output_select('data_issues.csv', {
        'source': 'source',
        'source_key': 'source_key',
        'issue': 'issue',
        'detail': 'detail',
        'outcome': 'outcome',
    }) }}
from issues
order by source, source_row_number, issue, detail
