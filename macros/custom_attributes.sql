{#- Custom Totango attributes (Fivetran-style pass-through vars), each item {column: <raw header>, name: <Totango
    attribute>, type: text|number|date|currency|yes_no}:
      account_attributes          from raw_crm_accounts, sent on the CRM account rows of accounts.csv;
      product_account_attributes  from raw_crm_subscriptions, sent on the product account rows, taken from the
                                  line that gives the product account its Plan;
      user_attributes             from raw_app_users, sent on users.csv.
    Returns the items of one kind, each with `field`, the safe column name the models carry it under
    (account_attribute_1...). The columns of the files follow the fixed ones, in the order listed; a name may be
    both an account and a product account attribute (one column, of one type). validate_project_vars checks
    all of it before anything is built. -#}
{% macro custom_attributes(kind) -%}
    {%- set items = var(kind ~ '_attributes', []) or [] -%}
    {%- set attributes = [] -%}
    {%- for item in items -%}
        {%- do attributes.append({
            'column': item.get('column'), 'name': item.get('name'), 'type': item.get('type', 'text'),
            'field': kind ~ '_attribute_' ~ loop.index}) -%}
    {%- endfor -%}
    {{ return(attributes) }}
{%- endmacro %}

{#- The attribute columns of a file, in order: each {name, type} with the field that fills it for each kind of
    row (accounts.csv: account and product_account rows; users.csv: user rows). -#}
{% macro file_attributes(kinds) -%}
    {%- set columns = [] -%}
    {%- for kind in kinds -%}
        {%- for attribute in custom_attributes(kind) -%}
            {%- set existing = columns | selectattr('name', 'equalto', attribute.name) | list -%}
            {%- if existing -%}
                {%- do existing[0].fields.update({kind: attribute.field}) -%}
            {%- else -%}
                {%- do columns.append({'name': attribute.name, 'type': attribute.type, 'fields': {kind: attribute.field}}) -%}
            {%- endif -%}
        {%- endfor -%}
    {%- endfor -%}
    {{ return(columns) }}
{%- endmacro %}

{#- The typed value of a custom attribute, as the text the file will hold, from its cleaned raw text; null when the
    text cannot be read as the type (a data issue, recorded): number and currency as written, without thousands
    separators (-12.5); date as YYYY-MM-DD; yes_no as yes or no; text as it is. -#}
{% macro typed_attribute(type, text_expression) -%}
    {%- if type in ['number', 'currency'] -%}
        case when {{ regex_full_match(text_expression, '-?[0-9]{1,20}([.][0-9]{1,10})?') }} then {{ text_expression }} end
    {%- elif type == 'date' -%}
        cast({{ to_date(text_expression) }} as {{ dbt.type_string() }})
    {%- elif type == 'yes_no' -%}
        case {{ to_boolean(text_expression) }} when true then 'yes' when false then 'no' end
    {%- else -%}
        {{ text_expression }}
    {%- endif -%}
{%- endmacro %}

{#- What a value of each type must be, for the data-issues record. -#}
{% macro attribute_type_wording(type) -%}
    {{- return({
        'number': 'a number with a dot for decimals and no thousands separator',
        'currency': 'an amount with a dot for decimals and no thousands separator or currency sign',
        'date': 'a YYYY-MM-DD date between ' ~ var('earliest_valid_date') ~ ' and ' ~ var('latest_valid_date'),
        'yes_no': 'yes/no, true/false or 1/0',
    }.get(type, 'text')) -}}
{%- endmacro %}

{#- The checks of one kind's attributes, as specs for the data-issues macros: unreadable values (every type but
    text: unreadable_value_issues) and values over a Totango limit (too_long_issues). -#}
{% macro attribute_value_checks(kind) -%}
    {%- set checks = [] -%}
    {%- for attribute in custom_attributes(kind) if attribute.type != 'text' -%}
        {%- do checks.append({'raw': attribute.field ~ '_text', 'typed': attribute.field, 'name': attribute.column,
            'expected': attribute_type_wording(attribute.type),
            'consequence': 'the attribute ' ~ attribute.name ~ ' is left blank'}) -%}
    {%- endfor -%}
    {{ return(checks) }}
{%- endmacro %}

{% macro attribute_limit_checks(kind, limit_name) -%}
    {%- set checks = [] -%}
    {%- for attribute in custom_attributes(kind) -%}
        {%- do checks.append({'column': attribute.field, 'limit': limit_name, 'header': attribute.name}) -%}
    {%- endfor -%}
    {{ return(checks) }}
{%- endmacro %}
