-- Every relation the export reads by name (the meta of exposure totango_csv_export, which export.py reads from
-- models/marts/_exposures.yml) is a model the exposure depends on, under the schema and name dbt builds it as;
-- and every model the exposure depends on is read. The fault it catches: a mart renamed, moved to another
-- schema, or added to the export in one of the two lists only (export.py would stop on a missing mart, or read a
-- stale one).
{%- set problems = [] %}
{%- set exposures = (graph.exposures.values() if execute else []) | selectattr('name', 'equalto', 'totango_csv_export')
    | list %}
{%- if execute and exposures | length != 1 %}
    {%- do problems.append(('totango_csv_export', 'not declared once')) %}
{%- endif %}
{%- for exposure in exposures %}
    {%- set meta = exposure.config.meta %}
    {%- set named = (meta.get('files', {}).values() | list) + [meta.get('usage_rows')]
        + (meta.get('rows_read', {}).values() | list) %}
    {%- set built = {} %}
    {%- for node_id in exposure.depends_on.nodes %}
        {%- set node = graph.nodes[node_id] %}
        {%- do built.update({node.schema ~ '.' ~ (node.alias or node.name): node_id}) %}
    {%- endfor %}
    {%- for relation in named if relation not in built %}
        {%- do problems.append((relation | string, 'read by the export, not a model it depends on')) %}
    {%- endfor %}
    {%- for relation, node_id in built.items() if relation not in named %}
        {%- do problems.append((relation, 'a model it depends on, not read')) %}
    {%- endfor %}
{%- endfor %}
with

problems as (
    {%- for relation, problem in problems %}
        select
            {{ sql_literal(relation) }} as relation_name,
            {{ sql_literal(problem) }} as problem
        {{ "union all" if not loop.last }}
    {%- else %}
        select
            cast(null as {{ dbt.type_string() }}) as relation_name,
            cast(null as {{ dbt.type_string() }}) as problem
    {%- endfor %}
)

select * from problems
where relation_name is not null
