{#- The row of this invocation: build_number one more than the last; started_at that of its `running` row. -#}
{% macro build_outcome_row_sql(outcome, failed_nodes) -%}
    {%- set this_invocation = 'invocation_id = ' ~ sql_literal(invocation_id) -%}
    insert into audit.build_outcomes
    select
        coalesce(max(build_number), 0) + 1,
        {{ sql_literal(invocation_id) }},
        {{ sql_literal(flags.WHICH) }},
        coalesce(min(started_at) filter (where {{ this_invocation }}), {{ utc_now() }}),
        {{ 'null' if outcome == 'running' else utc_now() }},
        {{ sql_literal(outcome) }},
        {{ 'null' if failed_nodes is none else sql_literal(failed_nodes) }},
        {{ sql_literal(raw_dir()) }}
    from audit.build_outcomes
{%- endmacro %}
