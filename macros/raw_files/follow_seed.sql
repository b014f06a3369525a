{#- In seed mode a staging model reads its raw export from the seed of that name through source(), and a source
    has no parents in dbt's DAG: this comment makes the model follow the seed, so that `dbt build` loads it
    first. In folder mode the seeds are off and the source is a view over the files (register_raw_exports). -#}
{% macro follow_seed(seed_name) -%}
    {%- if not raw_dir() -%}
        -- depends_on: {{ ref(seed_name) }}
    {%- endif -%}
{%- endmacro %}
