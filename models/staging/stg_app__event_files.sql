-- The files of raw_app_events now, in name order, each known by the SHA-256 of its bytes. Two files with the same
-- content are one content read once: file_copy numbers them (the first in name order is copy 1).
with

files as (
    select * from {{ source('raw_files', 'raw_app_events__file_listing') }}
)

select
    file_order,
    file_name,
    file_hash,
    byte_count,
    row_number() over (partition by file_hash order by file_order) as file_copy
from files
