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
with

columns_found as (
    {%- set found = [] %}
    {%- for file, mart in marts.items() %}
        {%- for column in adapter.get_columns_in_relation(ref(mart)) %}
            {%- do found.append((mart, column.name, loop.index)) %}
        {%- endfor %}
    {%- endfor %}
    {%- for mart, column_name, position in found %}
        select
            '{{ mart }}' as table_name,
            {{ sql_literal(column_name) }} as column_name,
            {{ position }} as ordinal_position
        {{ "union all" if not loop.last }}
    {%- else %}
        select
            cast(null as {{ dbt.type_string() }}) as table_name,
            cast(null as {{ dbt.type_string() }}) as column_name,
            cast(null as integer) as ordinal_position
    {%- endfor %}
),

columns_expected as (
    {%- set expected = [] %}
    {%- for file, mart in marts.items() %}
        {%- for column in output_columns(file) %}
            {%- do expected.append((mart, column.name, loop.index)) %}
        {%- endfor %}
    {%- endfor %}
    {%- for mart, column_name, position in expected %}
        select
            '{{ mart }}' as table_name,
            {{ sql_literal(column_name) }} as column_name,
            {{ position }} as ordinal_position
        {{ "union all" if not loop.last }}
    {%- else %}
        {#- No exposure, or no file in it: one row that fails the test. #}
        select
            'exposure totango_csv_export' as table_name,
            'its meta lists no file' as column_name,
            0 as ordinal_position
    {%- endfor %}
)

select columns_expected.*
from columns_expected
left join columns_found
    on
        columns_expected.table_name = columns_found.table_name
        and columns_expected.ordinal_position = columns_found.ordinal_position
        and columns_expected.column_name = columns_found.column_name
where columns_found.column_name is null
