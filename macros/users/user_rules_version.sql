{#- The version of the rules int_users_checked stored its rows under. A build on other rules checks every user
    row again. Only what decides a row's outcome from the same staged values counts here: Totango's limit on a
    User ID and the project's own code (rules_revision, bumped when the model's SQL changes what it stores), and
    what changes the table's columns (the custom attributes, the raw column names). A change that alters the
    staged values themselves (the date range, the cleaning of a raw column) is seen row by row, as any change to
    the export is (user_check_plan). -#}
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
