{#- Positions of rows in files, for the rules that depend on them ("first in the file wins") and for the test of
    the accounts file's order. DuckDB reads a table, or a file, in its stored order, so row_number() over ()
    numbers the rows as they are written. Spark reads files in parallel and in no set order (a folder's files
    biggest first), so the order must be named: the file, the block of it a task read, and the scan position
    within that task (monotonically_increasing_id, consecutive within a task). It is read from _metadata, which
    only a table over files has: in seed mode the seed table itself; in folder mode the view raw.<export> passes
    the same three on, as raw_file_column('position') (a view does not pass _metadata on; macro
    register_raw_exports). -#}

{#- Each row of the raw export read in the same select (no CTE between) numbered 1, 2, ... in file order. -#}
{% macro row_number_in_file_order() -%}
    {{- return(adapter.dispatch('row_number_in_file_order', 'totango_feed')()) -}}
{%- endmacro %}

{% macro default__row_number_in_file_order() -%}row_number() over (){%- endmacro %}

{% macro spark__row_number_in_file_order() -%}
    {%- if model.resource_type == 'unit_test' -%}
        {#- A unit test's rows are literals, not a file: they have no file order (and need none). -#}
        {%- set order = 'monotonically_increasing_id()' -%}
    {%- elif raw_dir() -%}
        {%- set order = raw_file_column('position') -%}
    {%- else -%}
        {%- set order = '_metadata.file_name, _metadata.file_block_start, monotonically_increasing_id()' -%}
    {%- endif -%}
    cast(row_number() over (order by {{ order }}) as bigint)
{%- endmacro %}
