-- Each file starts with exactly its fixed columns (macro output_columns, the one list of them), in order; custom
-- attributes may only follow them. Each file's mart is the one the export reads (exposure totango_csv_export,
-- models/marts/_exposures.yml). The fault it catches: a mart whose columns drift (renamed, moved, dropped) from
-- the list the export and the checks read, as when the enforced contract is off once custom attributes are
-- configured. The columns found are the database's own account of each mart (adapter.get_columns_in_relation),
-- read when the test runs: Spark has no information_schema.
-- depends_on: {{ ref('totango_accounts') }}
-- depends_on: {{ ref('totango_users') }}
-- depends_on: {{ ref('totango_usage') }}
-- depends_on: {{ ref('data_issues') }}
{%- set marts = {} %}
{%- for exposure in (graph.exposures.values() if execute else []) if exposure.name == 'totango_csv_export' %}
    {%- for file, relation in exposure.config.meta.files.items() %}
        {%- do marts.update({file: relation.split('.')[-1]}) %}
    {%- endfor %}
{%- endfor %}
{%- set found = [] %}
{%- set expected = [] %}
{%- for file, mart in marts.items() %}
    {%- for column in adapter.get_columns_in_relation(ref(mart)) %}
        {%- do found.append((mart, column.name, loop.index)) %}
    {%- endfor %}
    {%- for column in output_columns(file) %}
        {%- do expected.append((mart, column.name, loop.index)) %}
    {%- endfor %}
{%- endfor %}
with

columns_found as (
    {#- Nothing found: a row no expected column can match. #}
    {{- header_rows(found, ('', '', -1)) }}
),

columns_expected as (
    {#- No exposure, or no file in it: one row that fails the test. #}
    {{- header_rows(expected, ('exposure totango_csv_export', 'its meta lists no file', 0)) }}
)

select columns_expected.*
from columns_expected
left join columns_found
    on
        columns_expected.table_name = columns_found.table_name
        and columns_expected.ordinal_position = columns_found.ordinal_position
        and columns_expected.column_name = columns_found.column_name
where columns_found.column_name is null
