{#- The Totango Account ID of a product account: "<CRM account id>__<product key>" (e.g. ACC-101__analytics).
    Stable run to run because both parts are; the unique test on the accounts mart would catch a CRM id that
    happened to look like one of these. -#}
{% macro product_account_id(account_id, product_key) -%}
    {{ account_id }} || '__' || {{ product_key }}
{%- endmacro %}
