{#- Seed mode: views an earlier folder-mode build left in their place would stop the seeds loading. -#}
{% macro default__clear_raw_exports(exports) -%}
    {%- for source in exports %}
        {%- set existing = adapter.get_relation(database=target.database, schema='raw', identifier=source.name) %}
        {%- if existing is not none and existing.is_view %}
            {%- do adapter.drop_relation(existing) %}
        {%- endif %}
    {%- endfor %}
    {%- do adapter.commit() %}
{%- endmacro %}

{#- Seed mode: what a folder-mode build left in the seeds' place goes (a view would stop the seed loading). -#}
{% macro spark__clear_raw_exports(exports) -%}
    {%- do spark_ledger_mirror() -%}
    {%- for source in exports -%}
        {%- set existing = adapter.get_relation(database=none, schema='raw', identifier=source.name) -%}
        {%- if existing is not none and existing.is_view -%}
            {%- do adapter.drop_relation(existing) -%}
            {%- do run_query('drop table if exists raw.' ~ source.name ~ '__files') -%}
        {%- endif -%}
    {%- endfor -%}
{%- endmacro %}
