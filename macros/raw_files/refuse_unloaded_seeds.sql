{#- on-run-start: a command that reads a seed it does not load, while the seed is not in the database, stops here
    with what to run, instead of failing in the first model on "Table with name raw_crm_accounts does not exist".
    That is a seed-mode command run alone (`dbt run -s stg_crm__accounts`) on a database whose last build read a
    folder of exports (which put views in the seeds' place), or on a new database. A command that loads the seeds
    it reads (`dbt build`, `dbt seed`) goes on. DuckDB only: the tables are read from DuckDB's catalog. -#}
{% macro refuse_unloaded_seeds() -%}
    {%- if not execute or target.type != 'duckdb' -%}{{- return(none) -}}{%- endif -%}
    {%- set unselected = graph.nodes.values() | selectattr('resource_type', 'equalto', 'seed')
        | rejectattr('unique_id', 'in', selected_resources) | list -%}
    {%- if not unselected -%}{{- return(none) -}}{%- endif -%}
    {%- set tables = run_query("select schema_name || '.' || table_name from duckdb_tables() "
        ~ "where database_name = current_database()").columns[0].values() -%}
    {%- for seed in unselected if (seed.schema ~ '.' ~ seed.alias) not in tables -%}
        {%- set readers = selected_readers_of(seed.unique_id) -%}
        {%- if readers -%}
            {%- do exceptions.raise_compiler_error('The seed ' ~ seed.name ~ ' is not loaded in this database (a new '
                ~ 'database, or its last build read a folder of exports), and this command does not load it: '
                ~ readers[0].split('.')[-1] ~ (' and ' ~ (readers | length - 1) ~ ' more' if readers | length > 1
                else '') ~ ' would read it. Run `dbt build` (or `dbt seed` first).') -%}
        {%- endif -%}
    {%- endfor -%}
{%- endmacro %}
