{#- The version of the rules stg_app__users and int_users_checked stored their rows under. A build on other
    rules stages and checks every user row again: Totango's limits (the User ID's decides a row's outcome from the
    same staged values), the custom user attributes and the users' raw column names (the tables' columns), the
    date range (the same raw row gives other typed dates) and the project's own code (rules_revision, bumped when
    the SQL of these models changes what they store). What changes a row's raw values, or its product account, is
    seen row by row (the models' CTEs changed_positions and changed_rows). -#}
{% macro user_rules_version() -%}
    {%- set rules_revision = 1 -%}
    {#- (A var of the wrong shape is refused, with the reason, by validate_project_vars: not stopped here.) -#}
    {%- set raw_names = var('raw_column_names', {}) -%}
    {%- set inputs = {
        'revision': rules_revision,
        'limits': var('totango_limits'),
        'attributes': var('user_attributes', []),
        'columns': (raw_names if raw_names is mapping else {}).get('raw_app_users', {}),
        'dates': [var('earliest_valid_date'), var('latest_valid_date')],
    } -%}
    {{- return(local_md5(tojson(inputs, sort_keys=true))[:16]) -}}
{%- endmacro %}
