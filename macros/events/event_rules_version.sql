{#- The state the event models keep from one build to the next (stg_app__events, int_events_checked: incremental
    on DuckDB), and what invalidates it.

    Each stored row carries the version of the rules that made it. A build whose rules differ (an upgrade of the
    project, or a var that changes how an event is read or checked: raw_column_names, the date range, Totango's
    limits) does not trust what was stored under other rules: it parses and checks everything again, as
    --full-refresh does. Bump rules_revision when a change to the SQL of these models changes what they store. -#}
{% macro event_rules_version(stage) -%}
    {%- set rules_revision = 1 -%}
    {#- (A var of the wrong shape is refused, with the reason, by validate_project_vars: not stopped here.) -#}
    {%- set raw_names = var('raw_column_names', {}) -%}
    {%- set inputs = {
        'stage': stage,
        'revision': rules_revision,
        'columns': (raw_names if raw_names is mapping else {}).get(content_keyed_export(), {}),
        'dates': [var('earliest_valid_date'), var('latest_valid_date')],
        'limits': var('totango_limits') if stage == 'checked' else none,
    } -%}
    {{- return(local_md5(tojson(inputs, sort_keys=true))[:16]) -}}
{%- endmacro %}
