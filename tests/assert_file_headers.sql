-- The files start with exactly the fixed columns of docs/contract/output-files.md, in order (macro
-- fixed_file_headers); custom attributes may only follow them. The fault it catches: a mart whose columns drift
-- (renamed, moved, dropped) when the enforced contract is off, as it is once custom attributes are configured.
-- The columns found are the database's own account of each mart (adapter.get_columns_in_relation), read when the
-- test runs: Spark has no information_schema.
-- depends_on: {{ ref('totango_accounts') }}
-- depends_on: {{ ref('totango_users') }}
with

columns_found as (
    {%- set found = [] %}
    {%- for mart in ['totango_accounts', 'totango_users'] %}
        {%- for column in (adapter.get_columns_in_relation(ref(mart)) if execute else []) %}
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
    {%- for mart, file in [('totango_accounts', 'accounts'), ('totango_users', 'users')] %}
        {%- for header in fixed_file_headers(file) %}
            select
                '{{ mart }}' as table_name,
                {{ sql_literal(header) }} as column_name,
                {{ loop.index }} as ordinal_position
            {{ "union all" if not loop.last }}
        {%- endfor %}
        {{ "union all" if not loop.last }}
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
