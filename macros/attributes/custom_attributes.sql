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
